import { normalizeProblem } from "../src/allocation-options.js";
import { pruneNormalized } from "../src/prune-candidates.js";
import { syntheticCandidates } from "./data.js";
const n = 1e6;
const c = syntheticCandidates(n, 4, 1);
for (let rep = 0; rep < 4; rep++) {
  const p = normalizeProblem(c, { budget: n * 0.8 });
  const t1 = performance.now();
  pruneNormalized(c, p);
  console.log("prune", (performance.now() - t1).toFixed(0));
}
