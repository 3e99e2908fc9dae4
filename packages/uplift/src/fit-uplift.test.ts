import { describe, expect, it } from "vitest";
import { fitUplift } from "./fit-uplift.js";
import { META_LEARNER_KINDS } from "./meta-learner-kind.js";
import { linearWorld } from "./test-helpers/linear-world.js";
import { TinyLogistic, TinyRidge } from "./test-helpers/tiny-learners.js";

const ridge = () => new TinyRidge(1e-3);

function rmse(a: Float64Array, b: Float64Array, k: number, arm: number): number {
  let s = 0;
  const n = a.length / k;
  for (let i = 0; i < n; i++) s += (a[i * k + arm]! - b[i * k + arm]!) ** 2;
  return Math.sqrt(s / n);
}

describe("fitUplift on a linear world", () => {
  const w = linearWorld(3000, 3, 11);
  for (const meta of META_LEARNER_KINDS) {
    it(`${meta}-learner recovers value and cost effects of two offers`, () => {
      const model = fitUplift(
        { features: w.x, action: w.action, value: w.value, cost: w.cost, propensity: w.propensity },
        { learner: meta, value: { learner: ridge }, cost: { learner: ridge }, seed: 1 },
      );
      const pred = model.predict(w.x);
      for (const a of [1, 2]) {
        expect(rmse(pred.tauValue, w.tauValue, 3, a)).toBeLessThan(0.15);
        expect(rmse(pred.tauCost!, w.tauCost, 3, a)).toBeLessThan(0.05);
      }
      for (let i = 0; i < 10; i++) expect(pred.tauValue[i * 3]).toBe(0);
    });
  }
  it("estimates propensities with a classifier and reports clipping", () => {
    const model = fitUplift(
      { features: w.x, action: w.action, value: w.value, cost: w.cost },
      {
        learner: "dr",
        value: { learner: ridge },
        cost: { learner: ridge },
        propensity: { source: "estimate", classifier: () => new TinyLogistic(), clip: 0.45 },
      },
    );
    const r = model.propensityReport;
    expect(r.source).toBe("estimate");
    expect(r.arms).toHaveLength(2);
    // With clip 0.45 nearly every pairwise weight (true value 0.5) sits inside [0.45, 0.55].
    expect(r.arms[0]!.clippedLow + r.arms[0]!.clippedHigh).toBeLessThan(r.arms[0]!.rows * 0.2);
    expect(r.arms[0]!.mean).toBeCloseTo(0.5, 1);
  });
});
