import { describe, expect, it } from "vitest";
import { createWorld } from "./create-world.js";
import { inactivityHeuristic } from "./inactivity-heuristic.js";

describe("inactivityHeuristic", () => {
  it("gives the fixed offer exactly to units inactive for at least the threshold", () => {
    const world = createWorld("default");
    const pop = world.sampleUnits(5_000, { seed: 1 });
    const rule = inactivityHeuristic(pop, { minDaysInactive: 30, action: 3 });
    let treated = 0;
    for (let i = 0; i < pop.n; i++) {
      expect(rule[i]).toBe(pop.daysInactive[i]! >= 30 ? 3 : 0);
      treated += rule[i]! > 0 ? 1 : 0;
    }
    // Dormant units are the ones past 28 days, so roughly the dormant share is treated.
    expect(treated / pop.n).toBeGreaterThan(0.25);
    expect(treated / pop.n).toBeLessThan(0.45);
    expect(() => inactivityHeuristic(pop, { minDaysInactive: 30, action: -1 })).toThrow(/action/);
  });
});
