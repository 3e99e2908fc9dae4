import { describe, expect, it } from "vitest";
import { type PeriodDay, type PeriodOffers, type PeriodWorld, simulatePeriod } from "./simulate-period.js";

/**
 * A deterministic toy world: every offer's cost model predicts 1, the true (and realized) cost is
 * `trueCost`, and every offer redeems `lag` days after assignment. A day's allocation buys as many
 * offers as the budget pays for, at the plan's calibrated cost when there is a plan in currency.
 */
function toyWorld(trueCost: number, lag: number, calibrate: boolean): PeriodWorld & { seen: PeriodDay[] } {
  const seen: PeriodDay[] = [];
  return {
    seen,
    runDay(day) {
      seen.push(day);
      const unit = calibrate && day.plan ? day.plan.bias.factor("all") : 1;
      const n = Math.floor(day.budget / unit + 1e-9);
      const assignedAt = Array.from({ length: n }, (_, j) => day.day + (j + 0.5) / Math.max(1, n));
      return {
        assignedAt,
        predictedCost: assignedAt.map(() => 1),
        redeemedAt: assignedAt.map((t) => t + lag),
        realizedCost: assignedAt.map(() => trueCost),
        expectedCost: assignedAt.map(() => trueCost),
        value: assignedAt.map(() => 2),
        planned: n * unit,
      };
    },
  };
}

/** 20 days of matured history: 50 offers a day, predicted 1, realized 1.25 after 1.5 days. */
function history(): PeriodOffers {
  const assignedAt = Array.from({ length: 20 * 50 }, (_, j) => -20 + j / 50);
  return {
    assignedAt,
    predictedCost: assignedAt.map(() => 1),
    redeemedAt: assignedAt.map((t) => t + 1.5),
    realizedCost: assignedAt.map(() => 1.25),
  };
}

const period = { periodBudget: 1400, periodDays: 14, horizonDays: 7 };

describe("simulatePeriod", () => {
  it("naive pacing spends B/T a day in model units, so a cost model 20% low overspends by 25%", () => {
    const world = toyWorld(1.25, 1.5, false);
    const r = simulatePeriod(world, { ...period, strategy: "naive" });
    expect(world.seen.map((d) => d.budget)).toEqual(new Array(14).fill(100));
    expect(world.seen.every((d) => d.plan === undefined)).toBe(true);
    expect(r.spend).toBe(14 * 100 * 1.25);
    expect(r.absError).toBeCloseTo(0.25, 12);
    expect(r.signedError).toBeCloseTo(0.25, 12);
    expect(r.expectedAbsError).toBeCloseTo(0.25, 12);
    expect(r.trueValue).toBe(14 * 100 * 2);
    expect(r.days.map((d) => d.offers)).toEqual(new Array(14).fill(100));
    // calendar view: day d's redemptions land 1.5 days later; it ends at the period spend H days on
    expect(r.realizedToDate).toHaveLength(14 + 7);
    expect(r.realizedToDate[0]).toBe(0);
    expect(r.realizedToDate[r.realizedToDate.length - 1]).toBe(r.spend);
    // redeemed inside the period: all but the last day and the second half of the day before
    expect(r.inPeriodCashShare).toBeCloseTo((12.5 * 100 * 1.25) / 1400, 12);
    expect(r.maxOvershoot).toBeCloseTo(0.25, 12);
    // redeemed by the end of day 13: 12.5 days of offers against the whole period's 1400
    expect(r.maxRedeemedOvershoot).toBeCloseTo((12.5 * 125 - 1400) / 1400, 12);
  });

  it("the pacer calibrates the bias on history and ends near B, in currency or model units", () => {
    for (const pacerBudget of ["calibrated", "model"] as const) {
      const world = toyWorld(1.25, 1.5, pacerBudget === "calibrated");
      const r = simulatePeriod(world, { ...period, strategy: "pacer", pacerBudget, history: history() });
      expect(r.absError).toBeLessThan(0.02);
      expect(r.days[0]!.biasFactor).toBeGreaterThan(1.2);
      const plan = world.seen[3]!.plan!;
      expect(world.seen[3]!.budget).toBe(pacerBudget === "model" ? plan.modelBudget : plan.budget);
      expect(r.days[3]!.remainingLiability).toBe(plan.remainingLiability);
    }
  });

  it("counts only redemptions within the horizon, and no truth gives NaN truth metrics", () => {
    const late: PeriodWorld = {
      runDay: ({ day }) => ({
        assignedAt: [day + 0.5, day + 0.5],
        predictedCost: [1, 1],
        redeemedAt: [day + 8, Number.NaN],
        realizedCost: [3, 0],
        planned: 2,
      }),
    };
    const r = simulatePeriod(late, { ...period, strategy: "naive-cash" });
    expect(r.spend).toBe(0);
    expect(r.absError).toBe(1);
    expect(r.expectedAbsError).toBeNaN();
    expect(r.trueValue).toBeNaN();
  });

  it("rejects a schedule of the wrong length and timing weights on only some offers", () => {
    const world = toyWorld(1, 1, false);
    expect(() => simulatePeriod(world, { ...period, strategy: "naive", schedule: [1, 2] })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    const h = { ...history(), timingWeight: new Array(1000).fill(1) };
    expect(() => simulatePeriod(world, { ...period, strategy: "naive", history: h })).toThrow(
      expect.objectContaining({ code: "invalid_input" }),
    );
  });
});
