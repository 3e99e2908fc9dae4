import { createRng } from "@cia/core";
import { bootstrapSums as newer } from "../src/bootstrap-sums.js";
import { bootstrapSums as older } from "./tmp-orig.js";
const n = 1_000_000;
const rng = createRng(3);
const x = new Float64Array(n);
for (let i = 0; i < n; i++) x[i] = rng.normal(1, 3);
const which = process.argv[2] === "old" ? older : newer;
const scheme = (process.argv[3] ?? "multinomial") as "multinomial" | "poisson";
const res: string[] = [];
for (let r = 0; r < 5; r++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  which([x], { resamples: 1000, scheme, rng: createRng(1) });
  const c = process.cpuUsage(c0);
  console.log("RUN", r);
  res.push(`${(performance.now() - t0).toFixed(0)}/${((c.user + c.system) / 1000).toFixed(0)}`);
}
console.log(process.argv[2], scheme, res.join(" "));
