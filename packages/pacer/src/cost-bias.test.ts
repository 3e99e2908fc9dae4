import { CiaError, createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { CostBias, fitCostBias, safeFitCostBias } from "./cost-bias.js";
import type { CostCohort } from "./cost-bias.js";
import { RedemptionTiming } from "./redemption-timing.js";

const timing = RedemptionTiming.fromShares({ knots: [1, 2], shares: [0.5, 0.75], horizonDays: 3 });
const cohorts: CostCohort[] = [
  { segment: "a", assignedAt: 0, predictedCost: 100, realizedCost: 90, redemptions: 30 }, // age 2, F = .75
  { segment: "a", assignedAt: 1, predictedCost: 40, realizedCost: 30, redemptions: 10 }, // age 1, F = .5
  { segment: "b", assignedAt: 0, predictedCost: 200, realizedCost: 120, redemptions: 40 },
  { segment: "b", assignedAt: 2, predictedCost: 500, realizedCost: 0, redemptions: 0 }, // age 0, F = 0: no evidence
];

describe("fitCostBias", () => {
  it("compares realized cost with the matured prediction and shrinks by credibility (hand-computed)", () => {
    const bias = fitCostBias(cohorts, {
      asOfDays: 2,
      timing,
      priorStrength: 40,
      halfLifeDays: Number.POSITIVE_INFINITY,
    });
    const rawA = 120 / (100 * 0.75 + 40 * 0.5);
    const rawB = 120 / (200 * 0.75);
    const pooledRaw = 240 / 245;
    const pooled = (80 / 120) * pooledRaw + (40 / 120) * 1;
    expect(bias.segments.a!.raw).toBeCloseTo(rawA, 12);
    expect(bias.segments.a!.credibility).toBeCloseTo(0.5, 12);
    expect(bias.pooled.factor).toBeCloseTo(pooled, 12);
    expect(bias.factor("a")).toBeCloseTo(0.5 * rawA + 0.5 * pooled, 12);
    expect(bias.factor("b")).toBeCloseTo(0.5 * rawB + 0.5 * pooled, 12);
    expect(bias.factor("unseen")).toBeCloseTo(pooled, 12);
    const toOne = fitCostBias(cohorts, {
      asOfDays: 2,
      timing,
      priorStrength: 40,
      halfLifeDays: Number.POSITIVE_INFINITY,
      shrinkToward: "one",
    });
    expect(toOne.factor("a")).toBeCloseTo(0.5 * rawA + 0.5, 12);
    expect(toOne.factor("unseen")).toBe(1);
  });

  it("forgets old cohorts exponentially", () => {
    const bias = fitCostBias(cohorts, { asOfDays: 2, timing, priorStrength: 0, halfLifeDays: 2 });
    const w2 = 0.5;
    const w1 = 0.5 ** 0.5;
    expect(bias.factor("a")).toBeCloseTo((w2 * 90 + w1 * 30) / (w2 * 75 + w1 * 20), 12);
    expect(bias.segments.a!.redemptions).toBeCloseTo(w2 * 30 + w1 * 10, 12);
  });

  it("ignores cohorts below minRealizedShare and those assigned after the observation time", () => {
    const bias = fitCostBias(cohorts, {
      asOfDays: 2,
      timing,
      priorStrength: 0,
      halfLifeDays: Number.POSITIVE_INFINITY,
      minRealizedShare: 0.6,
    });
    expect(bias.factor("a")).toBeCloseTo(90 / 75, 12);
    const early = fitCostBias(cohorts, { asOfDays: 0.5, timing });
    expect(early.factor("a")).toBe(1); // nothing matured yet
  });

  it("recovers a true bias in large segments and stays near 1 in tiny ones", () => {
    const rng = createRng(5);
    const data: CostCohort[] = [];
    const t = RedemptionTiming.conservative(7); // all cohorts below are older than 7 days
    for (let d = 0; d < 20; d++) {
      // Segment "big": 500 redemptions a day, realized 1.25 x predicted on average.
      const pb = 1000;
      const nb = 500;
      let rb = 0;
      for (let j = 0; j < nb; j++) rb += (rng.exponential(1) * (1.25 * pb)) / nb;
      data.push({ segment: "big", assignedAt: d, predictedCost: pb, realizedCost: rb, redemptions: nb });
    }
    data.push({ segment: "tiny", assignedAt: 5, predictedCost: 10, realizedCost: 30, redemptions: 2 });
    const bias = fitCostBias(data, { asOfDays: 40, timing: t, priorStrength: 100, shrinkToward: "one" });
    expect(Math.abs(bias.factor("big") - 1.25)).toBeLessThan(0.03);
    expect(Math.abs(bias.factor("tiny") - 1)).toBeLessThan(0.05); // raw 3, but only 2 redemptions
  });

  it("uses the per-offer matured prediction when given", () => {
    // Two offers of 50 aged 0.5 and 1.5 (F = 0 and 0.5): the mean age 1 would say F = 0.5 for both.
    const c: CostCohort = {
      segment: "a",
      assignedAt: 1,
      predictedCost: 100,
      realizedCost: 30,
      redemptions: 10,
      maturedPredictedCost: 25,
    };
    const bias = fitCostBias([c], {
      asOfDays: 2,
      timing,
      priorStrength: 0,
      halfLifeDays: Number.POSITIVE_INFINITY,
    });
    expect(bias.factor("a")).toBeCloseTo(30 / 25, 12);
    const approx = fitCostBias([{ ...c, maturedPredictedCost: undefined }], {
      asOfDays: 2,
      timing,
      priorStrength: 0,
      halfLifeDays: Number.POSITIVE_INFINITY,
    });
    expect(approx.factor("a")).toBeCloseTo(30 / 50, 12);
    expect(() => fitCostBias([{ ...c, maturedPredictedCost: 101 }], { asOfDays: 2, timing })).toThrow(
      /maturedPredictedCost/,
    );
  });

  it("validates input and options", () => {
    const bad = [{ ...cohorts[0]!, realizedCost: Number.NaN }];
    expect(() => fitCostBias(bad, { asOfDays: 2, timing })).toThrow(/realizedCost/);
    expect(safeFitCostBias(bad, { asOfDays: 2, timing }).success).toBe(false);
    expect(() => fitCostBias(cohorts, { asOfDays: 2, timing, priorStrength: -1 })).toThrow(CiaError);
    expect(() => fitCostBias(cohorts, { asOfDays: 2, timing, halfLifeDays: 0 })).toThrow(/halfLifeDays/);
    expect(() => fitCostBias(cohorts, { asOfDays: Number.NaN, timing })).toThrow(/asOfDays/);
  });

  it("round-trips through JSON", () => {
    const bias = fitCostBias(cohorts, { asOfDays: 2, timing });
    const copy = CostBias.fromJSON(JSON.parse(JSON.stringify(bias)));
    expect(copy.factor("a")).toBe(bias.factor("a"));
    expect(copy.factor("zzz")).toBe(bias.factor("zzz"));
    expect(CostBias.none().factor("a")).toBe(1);
    const noneCopy = CostBias.fromJSON(JSON.parse(JSON.stringify(CostBias.none())));
    expect(Number.isNaN(noneCopy.pooled.raw)).toBe(true);
    expect(() => CostBias.fromJSON({ kind: "nope" } as never)).toThrow(CiaError);
  });
});
