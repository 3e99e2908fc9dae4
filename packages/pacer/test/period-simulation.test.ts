import { describe, expect, it } from "vitest";
import { simulateOnSimulator } from "./period-simulation.js";

// A small, fast configuration of the benchmark (bench/pacing.bench.ts runs the full 28-day one):
// default world, 14-day period after 28 days of history, 8,000 units a day, a cost model that
// predicts 20% below the true cost. At this size the redemption noise alone is about 1% of B
// (a few thousand redemptions), so the 2% target has little slack; see the README.
const base = { seed: 1, unitsPerDay: 8_000, periodDays: 14, historyDays: 28, costModelFactor: 0.8 } as const;

describe("period simulation on @cia/simulator", () => {
  it("ends within 2% of budget where naive pacing misses by more than 10%", () => {
    const pacer = simulateOnSimulator({ ...base, strategy: "pacer" });
    const naive = simulateOnSimulator({ ...base, strategy: "naive" });
    expect(pacer.absError).toBeLessThan(0.02);
    expect(pacer.expectedAbsError).toBeLessThan(0.02);
    expect(naive.absError).toBeGreaterThan(0.1);
    // B/T a day in model units realizes 1 / 0.8 = 1.25 x the budget.
    expect(naive.expectedAbsError).toBeCloseTo(0.25, 2);
    // The pacer learned the bias (true factor 1 / 0.8) from matured cohorts.
    const lastBias = pacer.days[pacer.days.length - 1]!.biasFactor;
    expect(Math.abs(lastBias - 1.25)).toBeLessThan(0.03);
    expect(pacer.maxOvershoot).toBeLessThan(naive.maxOvershoot);
    expect(pacer.trackingRmse).toBeLessThan(naive.trackingRmse);
  });

  it("learns a new model's bias within the period (history from an unbiased model)", () => {
    const r = simulateOnSimulator({ ...base, seed: 2, strategy: "pacer", historyCostModelFactor: 1 });
    expect(r.days[0]!.biasFactor).toBe(1); // nothing matured for the new model yet
    expect(Math.abs(r.days[r.days.length - 1]!.biasFactor - 1.25)).toBeLessThan(0.05);
    expect(r.absError).toBeLessThan(0.02);
  });
});
