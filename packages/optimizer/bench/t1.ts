import { allocate } from "../src/index.js";
import { syntheticCandidates } from "./data.js";
const n = Number(process.argv[2] ?? 1e6);
let t = performance.now();
const c = syntheticCandidates(n, 4, 1);
console.log("gen", performance.now() - t);
for (const opts of [{ budget: n * 0.8, maxTreated: n * 0.3, minValuePerCost: 0.5 }]) {
  for (let rep = 0; rep < 2; rep++) {
    t = performance.now();
    const r = allocate(c, opts);
    console.log((performance.now() - t).toFixed(0), "ms", JSON.stringify(r.totals), r.certificate.iterations, r.certificate.converged, process.resourceUsage().maxRSS >> 10);
  }
}
