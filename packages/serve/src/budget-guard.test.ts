import { describe, expect, it } from "vitest";
import { BudgetGuard } from "./budget-guard.js";

const day = (d: string, h = 0) => Date.parse(`${d}T${String(h).padStart(2, "0")}:00:00Z`);

describe("BudgetGuard", () => {
  it("moves lambda with the pacer's controller: up when overspending, down when underspending", () => {
    const g = new BudgetGuard({
      lambda: 1,
      dailyBudget: 1000,
      pacing: { eta: 0.5, scale: 100, lambdaMax: null },
    });
    expect(g.report({ spend: 150, target: 100 }).lambda).toBeCloseTo(1.25, 12);
    expect(g.report({ spend: 0, target: 100 }).lambda).toBeCloseTo(0.75, 12);
    expect(g.lambda).toBeCloseTo(0.75, 12);
  });

  it("keeps lambda fixed with eta 0 and stops offering once today's budget is spent, until the next UTC day", () => {
    let t = day("2026-12-06", 10);
    const g = new BudgetGuard({
      lambda: 2,
      dailyBudget: 100,
      pacing: { eta: 0, scale: 1, lambdaMax: null },
      now: () => t,
    });
    g.report({ spend: 60 });
    expect(g.stopped).toBe(false);
    expect(g.report({ spend: 40 })).toMatchObject({
      hard_stop: true,
      spent_today: 100,
      remaining_today: 0,
      lambda: 2,
    });
    t = day("2026-12-07", 1);
    expect(g.stopped).toBe(false);
    expect(g.state).toMatchObject({ day: "2026-12-07", spent_today: 0, budget_today: 100 });
  });

  it("targets today's budget pro rata by time when no target is given, and takes the pacer's B_today", () => {
    let t = day("2026-12-06", 6);
    const g = new BudgetGuard({
      lambda: 1,
      dailyBudget: 2400,
      pacing: { eta: 1, scale: 100, lambdaMax: 3 },
      now: () => t,
    });
    // 6 hours into the day: the target is 600; spending 700 is 100 over -> lambda + 1.
    expect(g.report({ spend: 700 }).lambda).toBeCloseTo(2, 12);
    t = day("2026-12-06", 12);
    // Capped at lambdaMax.
    expect(g.report({ spend: 2000, todayBudget: 5000 })).toMatchObject({ lambda: 3, budget_today: 5000 });
  });

  it("has no hard stop without a daily budget, and refuses bad reports with a typed code", () => {
    const g = new BudgetGuard({
      lambda: 0,
      dailyBudget: null,
      pacing: { eta: 0, scale: 1, lambdaMax: null },
    });
    g.report({ spend: 1e9 });
    expect(g.stopped).toBe(false);
    expect(() => g.report({ spend: Number.NaN })).toThrow(expect.objectContaining({ code: "invalid_input" }));
    expect(() => g.report({ spend: 1, target: -1 })).toThrow(
      expect.objectContaining({ code: "invalid_input" }),
    );
  });
});
