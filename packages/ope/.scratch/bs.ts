import { createRng } from "@cia/core";
import { bootstrapSums } from "../src/bootstrap-sums.js";
const n = 1_000_000;
const x = new Float64Array(n);
const r = createRng(1);
for (let i = 0; i < n; i++) x[i] = r.normal();
const B = Number(process.argv[2] ?? 300);
for (const scheme of ["multinomial", "poisson"] as const) {
  for (let k = 0; k < 2; k++) {
    const t = performance.now();
    const cu = process.cpuUsage();
    const b = bootstrapSums([x], { resamples: B, rng: createRng(2), scheme });
    const d = process.cpuUsage(cu);
    const means = Array.from(b.sums, (s, i) => s / b.totals[i]!);
    const mu = means.reduce((a, c) => a + c, 0) / means.length;
    const sd = Math.sqrt(means.reduce((a, c) => a + (c - mu) ** 2, 0) / (means.length - 1));
    console.log(
      scheme,
      (((performance.now() - t) * 1000) / B).toFixed(0),
      "ms wall per 1000;",
      ((d.user + d.system) / B).toFixed(0),
      "ms cpu per 1000; sd of means",
      sd.toExponential(4),
      "expected 1e-3",
    );
  }
}
