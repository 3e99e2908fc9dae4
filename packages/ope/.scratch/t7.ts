import { createRng } from "@cia/core";
import { bootstrapSums } from "../src/bootstrap-sums.js";
for (const n of [7, 400, 3001]) {
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n).fill(1)];
  const t = performance.now();
  bootstrapSums(cols, { resamples: 20000, rng: createRng(1) });
  console.log(n, performance.now() - t);
}
