import { normalizeProblem } from "../src/allocation-options.js";
import { pruneNormalized } from "../src/prune-candidates.js";
import { solveSingleConstraint } from "../src/solve-single-constraint.js";
import { radixArgsortDescending } from "../src/radix-argsort.js";
import { syntheticCandidates } from "./data.js";
const n = 1e6;
const c = syntheticCandidates(n, 4, 1);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let rep = 0; rep < 3; rep++) {
  const p = normalizeProblem(c, { budget: n * 0.8 });
  const t1 = cpu();
  const pr = pruneNormalized(c, p);
  const t2 = cpu();
  solveSingleConstraint(n, pr, c.tauCost, p.value, n * 0.8, true);
  const t3 = cpu();
  const keys = new Float64Array(2e6); for (let i = 0; i < keys.length; i++) keys[i] = Math.random();
  const t4 = cpu();
  radixArgsortDescending(keys);
  const t5 = cpu();
  console.log("cpu ms: prune", (t2 - t1).toFixed(0), "solve", (t3 - t2).toFixed(0), "radix2M", (t5 - t4).toFixed(0));
}
