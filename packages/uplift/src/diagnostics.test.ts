import { Ridge } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { calibrationByBins } from "./calibration-by-bins.js";
import { costCurve } from "./cost-curve.js";
import { diagnoseUplift } from "./diagnose-uplift.js";
import { effectItems } from "./effect-items.js";
import { fitUplift } from "./fit-uplift.js";
import { hajekUplift } from "./hajek-uplift.js";
import { countInversions } from "./ranking-monotonicity.js";
import { rankAgreement, rankStability } from "./rank-stability.js";
import { splitStability } from "./split-stability.js";
import { linearWorld } from "./test-helpers/linear-world.js";

const ridge = () => new Ridge({ alpha: 1e-3 });

describe("IPW building blocks", () => {
  it("hajekUplift is the difference of inverse-propensity weighted means", () => {
    // Units 0..3 as items for offer 1: 0 and 2 took offer 1, 1 took no-offer, 3 took offer 2 (ignored).
    const units = Int32Array.from([0, 1, 2, 3]);
    const arms = Int32Array.from([1, 1, 1, 1]);
    const r = hajekUplift(units, arms, 0, 4, [1, 0, 1, 2], [10, 4, 2, 100], [0.5, 0.25, 0.25, 0.5]);
    // Treated mean (10 * 2 + 2 * 4) / (2 + 4) = 28 / 6; control mean 4.
    expect(r.estimate).toBeCloseTo(28 / 6 - 4, 12);
    expect(r.nTreated).toBe(2);
    expect(r.nControl).toBe(1);
    expect(r.lower).toBeLessThan(r.estimate);
  });
  it("counts inversions and rank agreement", () => {
    expect(countInversions([1, 2, 3])).toBe(0);
    expect(countInversions([3, 2, 1])).toBe(3);
    expect(countInversions([1, 3, 2])).toBe(1);
    const a = rankAgreement([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 10, 9], {
      topFraction: 0.2,
    });
    expect(a.k).toBe(2);
    expect(a.topKOverlap).toBe(1);
    expect(a.spearman).toBeCloseTo(1 - (6 * 2) / (10 * 99), 12);
    expect(
      rankStability([
        [1, 2, 3],
        [1, 2, 3],
        [3, 2, 1],
      ]).pairs,
    ).toBe(3);
  });
});

describe("diagnostics on a linear world with known truth", () => {
  const train = linearWorld(4000, 3, 61);
  const hold = linearWorld(6000, 3, 62);
  const model = fitUplift(
    {
      features: train.x,
      action: train.action,
      value: train.value,
      cost: train.cost,
      propensity: train.propensity,
    },
    {
      learner: "x",
      value: { learner: ridge },
      cost: { learner: ridge },
      bootstrap: { resamples: 8 },
      seed: 3,
    },
  );
  const logged = Float64Array.from(hold.action, (a, i) => hold.propensity[i * 3 + a]!);
  const report = diagnoseUplift(model, {
    features: hold.x,
    action: hold.action,
    value: hold.value,
    cost: hold.cost,
    propensity: logged,
    truth: { tauValue: hold.tauValue, tauCost: hold.tauCost },
  });

  it("calibration slopes are near 1 against IPW and the truth, for value and cost", () => {
    expect(report.calibration.value.pooled.bins).toHaveLength(10);
    expect(report.calibration.value.pooled.slope).toBeGreaterThan(0.8);
    expect(report.calibration.value.pooled.slope).toBeLessThan(1.2);
    expect(report.calibration.cost!.pooled.slope).toBeGreaterThan(0.9);
    expect(report.calibration.cost!.pooled.slope).toBeLessThan(1.1);
    expect(report.calibration.value.pooled.truthSlope).toBeCloseTo(1, 1);
    for (const b of report.calibration.cost!.byAction[1]!.bins) {
      expect(b.realized.lower).toBeLessThan(b.realized.upper);
      expect(Math.abs(b.truthMean! - b.predictedMean)).toBeLessThan(0.05);
    }
  });

  it("predicted efficiency ranks realized efficiency monotonically", () => {
    const r = report.ranking!;
    expect(r.truthInversions).toBe(0);
    expect(r.truthSpearman).toBeCloseTo(1, 12);
    expect(r.spearman).toBeGreaterThan(0.8);
    expect(r.inversions).toBeLessThanOrEqual(4);
  });

  it("reports Qini/AUUC per offer, the cost curve, stability and PEHE", () => {
    expect(report.upliftScores).toHaveLength(2);
    for (const s of report.upliftScores) {
      expect(s.trueQini!).toBeGreaterThan(0);
      expect(Number.isFinite(s.qini)).toBe(true);
    }
    const c = report.costCurve!;
    expect(c.fraction[0]).toBe(0);
    // True incremental value accumulates fastest first: the first slice is the most efficient.
    const tv = c.trueValue!;
    const tc = c.trueCost!;
    const n = tv.length - 1;
    expect(tv[10]! / tc[10]!).toBeGreaterThan(tv[n]! / tc[n]!);
    expect(Math.abs(c.ipwValue[n]! - tv[n]!) / Math.abs(tv[n]!)).toBeLessThan(0.25);
    expect(report.bootstrapStability!.value.meanSpearman).toBeGreaterThan(0.9);
    expect(report.sqrtPehe!.value[1]!).toBeLessThan(0.2);
    expect(report.sqrtPehe!.cost![2]!).toBeLessThan(0.05);
  });

  it("calibrationByBins flags a miscalibrated model (effects doubled)", () => {
    const pred = model.predict(hold.x).tauValue.map((v) => 2 * v);
    const items = effectItems(pred, 3);
    const cal = calibrationByBins(items, { action: hold.action, outcome: hold.value, propensity: logged });
    expect(cal.slope).toBeLessThan(0.65);
  });

  it("costCurve picks each unit's most efficient offer with positive value", () => {
    const tv = Float64Array.from([0, 1, 3, 0, -1, 2]);
    const tc = Float64Array.from([0, 1, 1, 0, 1, 4]);
    const c = costCurve(
      tv,
      tc,
      3,
      { action: [0, 1], value: [0, 0], cost: [0, 0], propensity: [0.5, 0.5] },
      { points: 2 },
    );
    expect(Array.from(c.chosen)).toEqual([2, 2]);
    expect(Array.from(c.order)).toEqual([0, 1]);
  });

  it("splitStability compares models fitted on two halves", () => {
    const s = splitStability(
      {
        features: train.x,
        action: train.action,
        value: train.value,
        cost: train.cost,
        propensity: train.propensity,
      },
      { learner: "t", value: { learner: ridge }, cost: { learner: ridge } },
      hold.x,
      { seed: 1 },
    );
    expect(s.value.spearman).toBeGreaterThan(0.9);
    expect(s.cost!.topKOverlap).toBeGreaterThan(0.7);
    expect(s.efficiency).not.toBeNull();
  });
});
