import { readFileSync } from "node:fs";
import { denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { HistGradientBoosting } from "./hist-gradient-boosting.js";

// Added by the lead from an integration failure: the runner's reward model (the no-offer rows
// of a simulated holdout: 429 rows, 5 numeric and 11 one-hot columns, a zero-inflated outcome)
// with constant weights of 2 and minSamplesLeaf 50 threw "Cannot read properties of undefined
// (reading '2')" in TreeGrower.findSplit (a node's histogram slot was -1). Unit weights pass.
describe("weighted fits with a minimum leaf size", () => {
  it("fits the recorded data with weights 2 and minSamplesLeaf 50, like duplicated rows", () => {
    const d = JSON.parse(
      readFileSync(new URL("./fixtures/weighted-leaf-size.json", import.meta.url), "utf8"),
    ) as { rows: number; cols: number; x: number[]; y: number[] };
    const x = denseMatrix(d.rows, d.cols, Float64Array.from(d.x));
    const y = Float64Array.from(d.y);
    for (const wv of [1, 2, 3.5]) {
      const w = new Float64Array(d.rows).fill(wv);
      const fit = () =>
        new HistGradientBoosting({
          maxIter: 100,
          learningRate: 0.05,
          maxLeafNodes: 15,
          minSamplesLeaf: 50,
          l2Regularization: 1,
          seed: 7,
        }).fit(x, y, { weights: w });
      expect(fit).not.toThrow();
    }
  });
});
