import { describe, expect, it } from "vitest";
import { allocate } from "./allocate.js";
import { allocateWithLambda } from "./allocate-with-lambda.js";
import { createCandidates } from "./candidates.js";
import { npvScores } from "./npv-scores.js";
import { randomInstance } from "./test-helpers/random-instance.js";

describe("allocateWithLambda", () => {
  it("takes the best positive NPV score per unit, ties to no offer then the cheaper option", () => {
    const c = createCandidates({
      nUnits: 3,
      unit: [0, 0, 1, 2, 2],
      action: [1, 2, 1, 1, 2],
      tauValue: [3, 5, 1, 2, 3],
      tauCost: [1, 3, 2, 1, 2],
    });
    // lambda 0.5: unit 0 scores 2.5 / 3.5; unit 1 scores 0 (tie with no offer); unit 2 1.5 / 2
    const r = allocateWithLambda(c, 0.5);
    expect(Array.from(r.action)).toEqual([2, 0, 2]);
    // lambda 1: unit 2 ties 1 / 1 -> the cheaper action 1
    expect(Array.from(allocateWithLambda(c, 1).action)).toEqual([1, 0, 1]);
    expect(r.totals.lambda).toBe(0.5);
    expect(r.certificate.method).toBe("fixed_lambda");
    expect(() => allocateWithLambda(c, -1)).toThrowError(/lambda/);
  });

  it("is LP-optimal for the budget it spends (Everett), and allocate's lambda reproduces allocate", () => {
    for (let seed = 0; seed < 40; seed++) {
      const c = randomInstance({ units: 30, actions: 3, seed, negativeCostShare: seed % 2 ? 0.1 : 0 });
      const lambda = 0.3 + (seed % 7) * 0.25;
      const fixed = allocateWithLambda(c, lambda);
      const exact = allocate(c, { budget: Math.max(0, fixed.totals.spend) });
      if (fixed.totals.spend >= 0) {
        expect(exact.totals.upper_bound).toBeCloseTo(fixed.totals.value, 8);
        // and the greedy finds that very allocation's value at that budget
        expect(exact.totals.value).toBeCloseTo(fixed.totals.value, 8);
      }
      // the budget's price from allocate gives the LP allocation minus the fractional unit
      const a = allocate(c, { budget: 40 });
      const back = allocateWithLambda(c, a.totals.lambda * (1 + 1e-12));
      expect(back.totals.spend).toBeLessThanOrEqual(40 + 1e-9);
      expect(back.totals.value).toBeLessThanOrEqual(a.totals.upper_bound + 1e-9);
      expect(back.totals.value).toBeGreaterThanOrEqual(a.totals.upper_bound - a.certificate.gap_limit - 1e-9);
    }
  });
});

describe("npvScores", () => {
  it("is tau_value - lambda * tau_cost per candidate row", () => {
    const c = createCandidates({
      nUnits: 2,
      unit: [0, 1],
      action: [1, 1],
      tauValue: [3, 1],
      tauCost: [2, -1],
    });
    expect(Array.from(npvScores(c, 0.5))).toEqual([2, 1.5]);
    const out = new Float64Array(2);
    expect(npvScores(c, 0, out)).toBe(out);
    expect(() => npvScores(c, Number.NaN)).toThrowError(/lambda/);
  });
});
