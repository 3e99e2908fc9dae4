import { describe, expect, it } from "vitest";
import { createCandidates } from "./candidates.js";
import { efficiencyRanking } from "./efficiency-ranking.js";

describe("efficiencyRanking", () => {
  it("orders first offers and upgrades by marginal value per cost, not by cost", () => {
    // unit 0: a1 (1, 3) then a2 (3, 4); unit 1: a1 (5, 10); unit 2: a1 (-1, 1) cost-saving
    const c = createCandidates({
      nUnits: 3,
      unit: [0, 0, 1, 2],
      action: [1, 2, 1, 1],
      tauValue: [3, 4, 10, 1],
      tauCost: [1, 3, 5, 0 - 1],
    });
    const r = efficiencyRanking(c);
    expect(Array.from(r.unit)).toEqual([0, 1, 0]);
    expect(Array.from(r.fromAction)).toEqual([0, 0, 1]);
    expect(Array.from(r.toAction)).toEqual([1, 1, 2]);
    expect(Array.from(r.efficiency)).toEqual([3, 2, 0.5]);
    // the cheapest option (unit 2, cost -1) is not ranked: it is free and taken first
    expect(Array.from(r.freeUnits)).toEqual([2]);
    expect(Array.from(r.freeActions)).toEqual([1]);
  });

  it("the floor removes increments below R", () => {
    const c = createCandidates({
      nUnits: 1,
      unit: [0, 0],
      action: [1, 2],
      tauValue: [3, 4],
      tauCost: [1, 3],
    });
    expect(efficiencyRanking(c, { minValuePerCost: 1 }).unit.length).toBe(1);
  });
});
