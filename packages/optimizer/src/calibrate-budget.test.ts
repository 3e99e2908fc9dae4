import { describe, expect, it } from "vitest";
import { calibrateBudget } from "./calibrate-budget.js";

// A toy allocation whose true spend is 1.2x its predicted spend (under-predicted costs).
const allocate = (b: number) => ({ predicted: b, trueSpend: 1.2 * b });
const spend = (se: number) => (a: { predicted: number; trueSpend: number }) => ({
  predicted: a.predicted,
  estimate: { estimate: a.trueSpend, lower: a.trueSpend - se, upper: a.trueSpend + se },
});

describe("calibrateBudget", () => {
  it("'point' lowers the handed budget until the estimated true spend meets the budget", () => {
    const r = calibrateBudget({ budget: 100, allocate, spend: spend(1), criterion: "point" });
    expect(r.converged).toBe(true);
    expect(r.allocation.trueSpend).toBeCloseTo(100, 0);
    expect(r.handedBudget).toBeCloseTo(100 / 1.2, 0);
    expect(r.disagreement).toBe(true);
  });

  it("'interval' moves only as far as the off-policy interval demands", () => {
    const r = calibrateBudget({ budget: 100, allocate, spend: spend(10) });
    // Predicted = b must reach the interval's lower end 1.2 b - 10 = 100 -> b = 91.7.
    expect(r.allocation.trueSpend - 10).toBeCloseTo(100, 0);
    const wide = calibrateBudget({ budget: 100, allocate, spend: spend(30) });
    expect(wide.handedBudget).toBe(100);
    expect(wide.iterations).toBe(0);
  });

  it("'upper' meets the budget with confidence", () => {
    const r = calibrateBudget({ budget: 100, allocate, spend: spend(5), criterion: "upper" });
    expect(r.allocation.trueSpend + 5).toBeCloseTo(100, 0);
  });

  it("rejects a non-positive budget", () => {
    expect(() => calibrateBudget({ budget: 0, allocate, spend: spend(1) })).toThrow(/budget/);
  });
});
