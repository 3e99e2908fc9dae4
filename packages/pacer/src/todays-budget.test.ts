import { CiaError, createRng } from "@cia/core";
import type { Rng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { safeTodaysBudget, todaysBudget } from "./todays-budget.js";
import type { TodaysBudgetInput } from "./todays-budget.js";

describe("todaysBudget", () => {
  it("applies B_today = (B - spend - liability) spread flat over the remaining days", () => {
    const r = todaysBudget({
      periodBudget: 28_000,
      spendToDate: 5_000,
      remainingLiability: 3_000,
      day: 7,
      periodDays: 28,
    });
    expect(r.budget).toBeCloseTo(20_000 / 21, 10);
    expect(r.available).toBe(20_000);
    expect(r.committed).toBe(8_000);
    expect(r.overcommitted).toBe(false);
    const last = todaysBudget({
      periodBudget: 100,
      spendToDate: 30,
      remainingLiability: 20,
      day: 9,
      periodDays: 10,
    });
    expect(last.budget).toBe(50); // the last day gets everything left
  });

  it("follows a traffic curve and a daily cap", () => {
    const schedule = [1, 1, 2, 4, 2];
    const r = todaysBudget({
      periodBudget: 1000,
      spendToDate: 100,
      remainingLiability: 100,
      day: 2,
      periodDays: 5,
      schedule,
    });
    expect(r.share).toBeCloseTo(2 / 8, 14);
    expect(r.budget).toBeCloseTo(800 * 0.25, 10);
    const capped = todaysBudget({
      periodBudget: 1000,
      spendToDate: 100,
      remainingLiability: 100,
      day: 3,
      periodDays: 5,
      schedule,
      dailyCap: 300,
    });
    expect(capped.budget).toBe(300);
    expect(capped.capped).toBe(true);
    const noTraffic = todaysBudget({
      periodBudget: 1000,
      spendToDate: 0,
      remainingLiability: 0,
      day: 3,
      periodDays: 5,
      schedule: [1, 1, 1, 0, 0],
    });
    expect(noTraffic.budget).toBe(0);
    const huge = todaysBudget({
      periodBudget: 10,
      spendToDate: 0,
      remainingLiability: 0,
      day: 0,
      periodDays: 3,
      schedule: [1e308, 1e308, 1e308],
    });
    expect(huge.budget).toBeCloseTo(10 / 3, 12); // no overflow in the schedule sum
  });

  it("is 0, never negative, when spend plus liability exceed the budget", () => {
    const r = todaysBudget({
      periodBudget: 100,
      spendToDate: 80,
      remainingLiability: 40,
      day: 3,
      periodDays: 10,
    });
    expect(r.budget).toBe(0);
    expect(r.overcommitted).toBe(true);
    expect(r.available).toBe(-20);
    const extreme = todaysBudget({
      periodBudget: 0,
      spendToDate: Number.MAX_VALUE,
      remainingLiability: Number.MAX_VALUE,
      day: 0,
      periodDays: 1,
    });
    expect(extreme.budget).toBe(0);
    expect(Number.isFinite(extreme.available)).toBe(true);
    expect(Number.isFinite(extreme.committed)).toBe(true);
  });

  it("rejects invalid input with clear errors", () => {
    const ok: TodaysBudgetInput = {
      periodBudget: 100,
      spendToDate: 0,
      remainingLiability: 0,
      day: 0,
      periodDays: 10,
    };
    expect(() => todaysBudget({ ...ok, periodBudget: Number.NaN })).toThrow(
      /periodBudget must be a finite number >= 0, got NaN/,
    );
    expect(() => todaysBudget({ ...ok, spendToDate: -1 })).toThrow(/spendToDate/);
    expect(() => todaysBudget({ ...ok, remainingLiability: Number.POSITIVE_INFINITY })).toThrow(
      /remainingLiability/,
    );
    expect(() => todaysBudget({ ...ok, day: 10 })).toThrow(/day must be an integer in \[0, 10\)/);
    expect(() => todaysBudget({ ...ok, day: 1.5 })).toThrow(/day/);
    expect(() => todaysBudget({ ...ok, periodDays: 0, day: 0 })).toThrow(/periodDays/);
    expect(() => todaysBudget({ ...ok, schedule: [1, 2] })).toThrow(/schedule/);
    expect(() => todaysBudget({ ...ok, schedule: new Array(10).fill(-1) })).toThrow(/schedule\[0\]/);
    expect(() => todaysBudget({ ...ok, dailyCap: Number.NaN })).toThrow(/dailyCap/);
    const r = safeTodaysBudget({ ...ok, periodBudget: -5 });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.code).toBe("invalid_input");
    expect(todaysBudget({ ...ok, dailyCap: Number.POSITIVE_INFINITY }).budget).toBe(10);
  });

  it("property: for any input the budget is finite and >= 0, or a CiaError is thrown", () => {
    // A seeded random loop in place of fast-check: mixes ordinary, huge, tiny, zero, negative,
    // NaN and infinite values in every field.
    const rng = createRng("todays-budget-property");
    const specials = [
      0,
      -0,
      1,
      -1,
      1e-300,
      5e-324,
      1e300,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.5,
      2.5,
    ];
    const pick = (r: Rng): number => {
      const u = r.next();
      if (u < 0.35) return specials[r.int(specials.length)]!;
      if (u < 0.7) return r.uniform(0, 1e4);
      if (u < 0.85) return 10 ** r.uniform(-10, 300);
      return r.normal(0, 1e6);
    };
    let accepted = 0;
    let rejected = 0;
    for (let trial = 0; trial < 10_000; trial++) {
      const periodDays = rng.next() < 0.9 ? 1 + rng.int(40) : pick(rng);
      const day =
        rng.next() < 0.9
          ? rng.int(Math.max(1, Math.min(50, Math.floor(Math.abs(periodDays) || 1))))
          : pick(rng);
      const input: TodaysBudgetInput = {
        periodBudget: pick(rng),
        spendToDate: pick(rng),
        remainingLiability: pick(rng),
        day,
        periodDays,
      };
      if (rng.next() < 0.5 && Number.isInteger(periodDays) && periodDays > 0 && periodDays < 100) {
        input.schedule = Array.from({ length: rng.next() < 0.95 ? periodDays : periodDays + 1 }, () =>
          rng.next() < 0.8 ? rng.uniform(0, 10) : pick(rng),
        );
      }
      if (rng.next() < 0.5) input.dailyCap = pick(rng);
      const r = safeTodaysBudget(input);
      if (r.success) {
        accepted++;
        expect(Number.isFinite(r.result.budget)).toBe(true);
        expect(r.result.budget).toBeGreaterThanOrEqual(0);
        expect(r.result.budget).toBeLessThanOrEqual(
          Math.max(0, input.periodBudget - input.spendToDate - input.remainingLiability) * (1 + 1e-12),
        );
        if (input.dailyCap !== undefined) expect(r.result.budget).toBeLessThanOrEqual(input.dailyCap);
        expect(Number.isFinite(r.result.available)).toBe(true);
        expect(r.result.share).toBeGreaterThanOrEqual(0);
        expect(r.result.share).toBeLessThanOrEqual(1);
      } else {
        rejected++;
        expect(CiaError.isInstance(r.error)).toBe(true);
        expect(r.error.code).toBe("invalid_input");
      }
    }
    // Both branches must be exercised for the property to mean something.
    expect(accepted).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(1_000);
  });

  it("sums to the period budget over a period when nothing is spent unexpectedly", () => {
    // If every day spends exactly its budget as liability that later realizes in full, the period
    // ends exactly on budget, whatever the schedule.
    const schedule = [3, 1, 4, 1, 5, 9, 2, 6];
    let committed = 0;
    for (let d = 0; d < schedule.length; d++) {
      const r = todaysBudget({
        periodBudget: 1234,
        spendToDate: committed * 0.3,
        remainingLiability: committed * 0.7,
        day: d,
        periodDays: 8,
        schedule,
      });
      committed += r.budget;
    }
    expect(committed).toBeCloseTo(1234, 9);
  });
});
