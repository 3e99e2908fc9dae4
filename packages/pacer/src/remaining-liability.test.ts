import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { CostBias } from "./cost-bias.js";
import { RedemptionTiming } from "./redemption-timing.js";
import { expectedRemainingLiability } from "./remaining-liability.js";

const timing = RedemptionTiming.fromShares({ knots: [0, 1, 3], shares: [0.1, 0.4, 0.9], horizonDays: 5 });
// Factors: segment x 1.25, y 0.8, anything else pooled 1.1.
const bias = CostBias.fromJSON({
  kind: "cost-bias",
  version: 1,
  shrinkToward: "pooled",
  pooled: { factor: 1.1, raw: 1.1, credibility: 1, maturedPredicted: 1, realized: 1, redemptions: 1 },
  segments: {
    x: { factor: 1.25, raw: 1.25, credibility: 1, maturedPredicted: 1, realized: 1, redemptions: 1 },
    y: { factor: 0.8, raw: 0.8, credibility: 1, maturedPredicted: 1, realized: 1, redemptions: 1 },
  },
});

describe("expectedRemainingLiability", () => {
  it("matches a hand computation: predicted x bias x (1 - F(age))", () => {
    const cohorts = [
      { segment: "x", assignedAt: 10, predictedCost: 200 }, // age 0: F = 0.1 -> 200 * 1.25 * 0.9 = 225
      { segment: "y", assignedAt: 8.5, predictedCost: 100 }, // age 1.5: F = 0.4 -> 100 * 0.8 * 0.6 = 48
      { segment: "z", assignedAt: 6, predictedCost: 50 }, // age 4: F = 0.9 -> 50 * 1.1 * 0.1 = 5.5
      { segment: "x", assignedAt: 4, predictedCost: 1000 }, // age 6 >= H: 0
      { segment: "y", assignedAt: 11, predictedCost: 10 }, // assigned after asOf: all of it, 8
    ];
    const r = expectedRemainingLiability(cohorts, { asOfDays: 10, timing, bias });
    expect(Array.from(r.perCohort).map((v) => Number(v.toFixed(10)))).toEqual([225, 48, 5.5, 0, 8]);
    expect(r.total).toBeCloseTo(286.5, 10);
  });

  it("Benktander credits the cohort's own realized cost", () => {
    // age 1.5: F = 0.4, prior ultimate 100 * 0.8 = 80, realized 50:
    // BF ultimate = 50 + 0.6 * 80 = 98; Benktander reserve = 0.6 * 98 = 58.8.
    const r = expectedRemainingLiability(
      [{ segment: "y", assignedAt: 8.5, predictedCost: 100, realizedCost: 50 }],
      {
        asOfDays: 10,
        timing,
        bias,
        method: "benktander",
      },
    );
    expect(r.total).toBeCloseTo(58.8, 12);
  });

  it("uses the per-offer matured prediction when given", () => {
    // Offers of 100 aged 0.5 and 3.5 (F = 0.1 and 0.9): matured 10 + 90 of 200, so half remains.
    const r = expectedRemainingLiability(
      [{ segment: "y", assignedAt: 8, predictedCost: 200, maturedPredictedCost: 100 }],
      {
        asOfDays: 10,
        timing,
        bias,
      },
    );
    expect(r.total).toBeCloseTo(200 * 0.8 * 0.5, 12); // F at the mean age 2 would say 0.4
    expect(() =>
      expectedRemainingLiability(
        [{ segment: "y", assignedAt: 8, predictedCost: 1, maturedPredictedCost: 2 }],
        { asOfDays: 10, timing, bias },
      ),
    ).toThrow(/maturedPredictedCost/);
  });

  it("rejects non-finite or negative input", () => {
    expect(() =>
      expectedRemainingLiability([{ segment: "x", assignedAt: 0, predictedCost: -1 }], {
        asOfDays: 1,
        timing,
        bias,
      }),
    ).toThrow(/predictedCost/);
    expect(() =>
      expectedRemainingLiability([{ segment: "x", assignedAt: Number.NaN, predictedCost: 1 }], {
        asOfDays: 1,
        timing,
        bias,
      }),
    ).toThrow(/assignedAt/);
    expect(() =>
      expectedRemainingLiability([], { asOfDays: Number.POSITIVE_INFINITY, timing, bias }),
    ).toThrow(CiaError);
    expect(expectedRemainingLiability([], { asOfDays: 0, timing, bias }).total).toBe(0);
  });
});
