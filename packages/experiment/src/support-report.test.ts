import { describe, expect, it } from "vitest";
import { minimumDetectableEffect, supportReport } from "./support-report.js";

describe("minimumDetectableEffect", () => {
  it("matches the textbook formula", () => {
    // (z_.975 + z_.8) = 1.959964 + 0.841621 = 2.801585; sqrt(1/1000 + 1/1000) = 0.0447214.
    expect(minimumDetectableEffect({ nTreated: 1000, nControl: 1000, variance: 1 })).toBeCloseTo(0.125291, 5);
    expect(minimumDetectableEffect({ nTreated: 4000, nControl: 4000, variance: 1 })).toBeCloseTo(
      0.125291 / 2,
      5,
    );
    expect(minimumDetectableEffect({ nTreated: 0, nControl: 10, variance: 1 })).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(() => minimumDetectableEffect({ nTreated: 1, nControl: 1, variance: 1, alpha: 0 })).toThrow(
      /alpha/,
    );
  });
});

describe("supportReport", () => {
  const actions = (k: number) => ["control", ...Array.from({ length: k - 1 }, (_, i) => `offer_${i + 1}`)];

  it("warns when the action space is too large for the sample (lesson 2), not when it is compact", () => {
    const n = 20_000;
    const compact = supportReport({
      n,
      shares: [1, 1, 1],
      actions: actions(3),
      outcomeVariance: 1,
      targetEffect: 0.1,
    });
    expect(compact.tooManyActions).toBe(false);
    expect(compact.warnings).toEqual([]);
    expect(compact.cells[1]!.mde).toBeCloseTo(2.801585 * Math.sqrt(2 / (n / 3)), 5);
    const crossed = supportReport({
      n,
      shares: new Array(40).fill(1),
      actions: actions(40),
      outcomeVariance: 1,
      targetEffect: 0.1,
    });
    expect(crossed.tooManyActions).toBe(true);
    expect(crossed.warnings.at(-1)).toMatch(/too large/);
    // n * target^2 / (2 * 2.801585^2 * var) = 20000 * 0.01 / 15.6978 = 12.7 -> 12 arms.
    expect(crossed.maxSupportedActions).toBe(12);
    expect(Number.isNaN(crossed.cells[0]!.mde)).toBe(true);
  });

  it("reads support from a log with Kish effective sizes", () => {
    const action = Int32Array.from([0, 0, 1, 1, 1, -1]);
    const propensity = Float64Array.from([0.5, 0.5, 0.25, 0.5, 0.5, Number.NaN]);
    const r = supportReport({ action, propensity, actions: actions(2), outcomeVariance: 1, minPerCell: 2 });
    expect(r.cells.map((c) => c.count)).toEqual([2, 3]);
    // weights 4, 2, 2: (8)^2 / (16 + 4 + 4) = 2.667
    expect(r.cells[1]!.effectiveN).toBeCloseTo(64 / 24, 12);
    expect(r.cells[1]!.mde).toBeCloseTo(
      minimumDetectableEffect({ nTreated: 64 / 24, nControl: 2, variance: 1 }),
      12,
    );
    expect(r.tooManyActions).toBe(false);
    expect(
      supportReport({ action, propensity, actions: actions(2), outcomeVariance: 1, minPerCell: 3 })
        .warnings[0],
    ).toMatch(/"control" has 2 units/);
  });
});
