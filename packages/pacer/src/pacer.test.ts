import { CiaError, createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { Pacer } from "./pacer.js";
import type { OfferLedger } from "./pacer.js";
import { RedemptionTiming } from "./redemption-timing.js";

const NaN_ = Number.NaN;

// History: 4 offers on day 0 (segment a, predicted 10 each), two redeemed (lags 1 and 2, cost 15).
// Period starts at day 10: 2 offers at 10.0 (predicted 10 each), one redeemed at 10.5 for 12.
const ledger: OfferLedger = {
  assignedAt: [0, 0, 0, 0, 10, 10],
  segment: [0, 0, 0, 0, 0, 0],
  segments: ["a"],
  predictedCost: [10, 10, 10, 10, 10, 10],
  redeemedAt: [1, 2, NaN_, NaN_, 10.5, NaN_],
  realizedCost: [15, 15, 0, 0, 12, 0],
};

describe("Pacer", () => {
  it("plans a day by the formula (hand-computed)", () => {
    const pacer = new Pacer({
      periodBudget: 1000,
      periodDays: 5,
      periodStart: 10,
      horizonDays: 4,
      priorStrength: 0,
      halfLifeDays: Number.POSITIVE_INFINITY,
    });
    const plan = pacer.plan(ledger, 1); // as of day 11
    // KM on lags (censored at min(age, 4)): 0.5 e (6 at risk) -> 5/6; 1: one event of 5 -> 4/6;
    // 2: one of 3 -> 4/9. F = (1 - S) / (1 - 4/9): F(0.5) = 0.3, F(1) = 0.6, F(2) = 1.
    expect(plan.timing.realizedShare(0.5)).toBeCloseTo(0.3, 12);
    expect(plan.timing.realizedShare(1)).toBeCloseTo(0.6, 12);
    expect(plan.timing.realizedShare(2)).toBe(1);
    // Bias: history cohort realized 30 of 40 matured; period cohort 12 of 20 x F(1) = 12.
    const bias = 42 / 52;
    expect(plan.bias.factor("a")).toBeCloseTo(bias, 12);
    expect(plan.spendToDate).toBe(12);
    const remaining = 20 * bias * (1 - 0.6);
    expect(plan.remainingLiability).toBeCloseTo(remaining, 10);
    expect(plan.budget).toBeCloseTo((1000 - 12 - remaining) / 4, 10);
    expect(plan.modelBudget).toBeCloseTo(plan.budget / bias, 10);
  });

  it("ignores redemptions after the planning time and calibrates bias only since biasSince", () => {
    const pacer = new Pacer({
      periodBudget: 1000,
      periodDays: 5,
      periodStart: 10,
      horizonDays: 4,
      priorStrength: 0,
      halfLifeDays: Number.POSITIVE_INFINITY,
      biasSince: 10,
    });
    const early = pacer.plan(ledger, 0); // as of day 10: the period's offers are not assigned yet
    expect(early.spendToDate).toBe(0);
    expect(early.remainingLiability).toBe(0);
    expect(early.budget).toBeCloseTo(200, 12);
    expect(early.bias.factor("a")).toBe(1); // no cohort since biasSince has matured
    const later = pacer.plan(ledger, 1);
    expect(later.bias.factor("a")).toBeCloseTo(1, 12); // 12 realized / (20 x 0.6)
  });

  it("falls back to the prior (or conservative) timing before any redemption", () => {
    const none: OfferLedger = {
      ...ledger,
      redeemedAt: new Array(6).fill(NaN_),
      realizedCost: new Array(6).fill(0),
    };
    const pacer = new Pacer({ periodBudget: 100, periodDays: 5, periodStart: 10, horizonDays: 4 });
    const plan = pacer.plan(none, 1);
    expect(plan.timing.realizedShare(3)).toBe(0);
    expect(plan.remainingLiability).toBeCloseTo(20, 12); // full predicted cost, bias 1
    const prior = RedemptionTiming.fromShares({ knots: [1], shares: [0.5], horizonDays: 4 });
    const withPrior = new Pacer({
      periodBudget: 100,
      periodDays: 5,
      periodStart: 10,
      horizonDays: 4,
      priorTiming: prior,
    }).plan(none, 1);
    expect(withPrior.remainingLiability).toBeCloseTo(10, 12);
  });

  it("fits a timing curve per segment, blended with the pooled one by credibility", () => {
    // History at day 0: 10 "fast" offers redeemed after 1 day, 10 "slow" after 5 (cost = predicted
    // = 1). In the period (from day 20) one slow offer predicted 10, open at age 2 on day 22.
    const l: OfferLedger = {
      assignedAt: [...new Array(20).fill(0), 20],
      segment: [...new Array(10).fill(0), ...new Array(10).fill(1), 1],
      segments: ["fast", "slow"],
      predictedCost: [...new Array(20).fill(1), 10],
      redeemedAt: [...new Array(10).fill(1), ...new Array(10).fill(5), NaN_],
      realizedCost: [...new Array(20).fill(1), 0],
    };
    const opts = { periodBudget: 100, periodDays: 5, periodStart: 20, horizonDays: 10, biasSince: 20 };
    // Pooled KM: S(1) = 11/21 (the period offer is at risk, censored at 2), S(5) = 0, so
    // F(2) = 10/21. The slow segment alone: F(2) = 0.
    const pooled = new Pacer({ ...opts, timingBy: "pooled" }).plan(l, 2);
    expect(pooled.segmentTiming).toBeUndefined();
    expect(pooled.remainingLiability).toBeCloseTo(10 * (1 - 10 / 21), 12);
    const own = new Pacer({ ...opts, timingPriorStrength: 0 }).plan(l, 2);
    expect(own.segmentTiming?.slow?.realizedShare(2)).toBe(0);
    expect(own.segmentTiming?.fast?.realizedShare(1)).toBe(1);
    expect(own.remainingLiability).toBeCloseTo(10, 12);
    // k = 10 redemptions: the slow segment's own curve (10 redemptions) gets weight 1/2.
    const half = new Pacer({ ...opts, timingPriorStrength: 10 }).plan(l, 2);
    expect(half.segmentTiming?.slow?.realizedShare(2)).toBeCloseTo(0.5 * (10 / 21), 12);
    expect(half.remainingLiability).toBeCloseTo(10 * (1 - 5 / 21), 12);
    expect(() => new Pacer({ ...opts, timingBy: "x" as never })).toThrow(/timingBy/);
  });

  it("validates options and ledgers", () => {
    expect(() => new Pacer({ periodBudget: -1, periodDays: 5, horizonDays: 4 })).toThrow(CiaError);
    expect(() => new Pacer({ periodBudget: 1, periodDays: 5, horizonDays: 4, schedule: [1, 2] })).toThrow(
      /schedule/,
    );
    expect(() => new Pacer({ periodBudget: 1, periodDays: 2.5, horizonDays: 4 })).toThrow(/periodDays/);
    const pacer = new Pacer({ periodBudget: 1, periodDays: 5, horizonDays: 4 });
    expect(() => pacer.plan(ledger, 5)).toThrow(/day/);
    expect(() =>
      pacer.plan({ ...ledger, predictedCost: [1, 1, 1, 1, 1, Number.POSITIVE_INFINITY] }, 1),
    ).toThrow(/predictedCost/);
    expect(() => pacer.plan({ ...ledger, segment: [0, 0, 0, 0, 0, 3] }, 1)).toThrow(/segment/);
    expect(() => pacer.plan({ ...ledger, redeemedAt: [-1, 2, NaN_, NaN_, 10.5, NaN_] }, 1)).toThrow(
      /redeemedAt/,
    );
    expect(() => pacer.plan({ ...ledger, realizedCost: [1] }, 1)).toThrow(/length/);
  });

  it("property: the plan is finite and >= 0 on random ledgers", () => {
    const rng = createRng("pacer-property");
    for (let trial = 0; trial < 200; trial++) {
      const n = rng.int(60);
      const T = 1 + rng.int(10);
      const start = rng.uniform(-5, 20);
      const huge = rng.next() < 0.2;
      const l: OfferLedger = {
        assignedAt: Array.from({ length: n }, () => rng.uniform(start - 20, start + T)),
        segment: Array.from({ length: n }, () => rng.int(3)),
        segments: ["x", "y", "z"],
        predictedCost: Array.from({ length: n }, () =>
          huge ? 10 ** rng.uniform(0, 300) : rng.uniform(0, 20),
        ),
        redeemedAt: [],
        realizedCost: Array.from({ length: n }, () =>
          huge ? 10 ** rng.uniform(0, 300) : rng.uniform(0, 30),
        ),
      };
      l.redeemedAt = Array.from(l.assignedAt, (a) => (rng.next() < 0.4 ? a + rng.exponential(0.3) : NaN_));
      const pacer = new Pacer({
        periodBudget: rng.next() < 0.1 ? 0 : 10 ** rng.uniform(0, 6),
        periodDays: T,
        periodStart: start,
        horizonDays: 1 + rng.uniform(0, 15),
        dailyCap: rng.next() < 0.3 ? rng.uniform(0, 100) : undefined,
        priorStrength: rng.uniform(0, 200),
        reserving: rng.next() < 0.5 ? "benktander" : "bornhuetter-ferguson",
      });
      for (let d = 0; d < T; d++) {
        const plan = pacer.plan(l, d);
        expect(Number.isFinite(plan.budget)).toBe(true);
        expect(plan.budget).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(plan.modelBudget)).toBe(true);
        expect(plan.modelBudget).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
