import { describe, expect, it } from "vitest";
import { createCandidates } from "./candidates.js";
import { PRUNE_STATUS, pruneCandidates } from "./prune-candidates.js";

// One unit, seven options; costs and values chosen so each rule fires once.
//  a1 (1, 3): hull vertex (slope 3 from no offer)
//  a2 (2, 2): dominated by a1 (more cost, less value)
//  a3 (4, 4): hull vertex, slope 1/3 from a1
//  a4 (3, 3.5): under the hull (a1 -> a4 slope 0.25 < a4 -> a3 slope 0.5)
//  a5 (1, -1): value <= 0
//  a6: ineligible
//  a7 (5, 1): cost per value 5
const c = createCandidates({
  nUnits: 1,
  unit: [0, 0, 0, 0, 0, 0, 0],
  action: [1, 2, 3, 4, 5, 6, 7],
  tauValue: [3, 2, 4, 3.5, -1, 10, 1],
  tauCost: [1, 2, 4, 3, 1, 1, 5],
  eligible: [1, 1, 1, 1, 1, 0, 1],
});

describe("pruneCandidates", () => {
  it("counts each reason once", () => {
    const p = pruneCandidates(c, { maxCostPerValue: 4 });
    expect(p.counts).toEqual({
      total: 7,
      kept: 2,
      ineligible: 1,
      non_positive_value: 1,
      cost_per_value_above_cap: 1,
      dominated: 1,
      lp_dominated: 1,
      below_efficiency_floor: 0,
    });
    expect(Array.from(p.status)).toEqual([
      PRUNE_STATUS.kept,
      PRUNE_STATUS.dominated,
      PRUNE_STATUS.kept,
      PRUNE_STATUS.lp_dominated,
      PRUNE_STATUS.non_positive_value,
      PRUNE_STATUS.ineligible,
      PRUNE_STATUS.cost_per_value_above_cap,
    ]);
    // kept rows in cost order
    expect(Array.from(p.kept)).toEqual([0, 2]);
    expect(Array.from(p.keptStart)).toEqual([0, 2]);
  });

  it("cuts the hull where the marginal value per cost falls below the floor", () => {
    const p = pruneCandidates(c, { minValuePerCost: 0.5 });
    expect(p.status[2]).toBe(PRUNE_STATUS.below_efficiency_floor);
    expect(p.counts.kept).toBe(1);
    // the first step from no offer is checked too
    expect(pruneCandidates(c, { minValuePerCost: 3.5 }).counts.kept).toBe(0);
  });

  it("keeps LP-dominated options when channel or action caps make the hull argument invalid", () => {
    const p = pruneCandidates(c, { actionCaps: { 4: { maxTreated: 1 } } });
    expect(p.status[3]).toBe(PRUNE_STATUS.kept);
    // a2 and a1 are different actions, but neither is capped: a2 is still dominated
    expect(p.status[1]).toBe(PRUNE_STATUS.dominated);
    const q = pruneCandidates(c, { actionCaps: { 1: { maxTreated: 1 } } });
    // a1 is capped, so it no longer dominates a2
    expect(q.status[1]).toBe(PRUNE_STATUS.kept);
  });

  it("keeps a cost-saving option as the start of the hull and drops no offer", () => {
    const d = createCandidates({
      nUnits: 1,
      unit: [0, 0, 0],
      action: [1, 2, 3],
      tauValue: [1, 3, 2],
      tauCost: [-2, 2, 1.5],
    });
    const p = pruneCandidates(d, {});
    expect(Array.from(p.status)).toEqual([PRUNE_STATUS.kept, PRUNE_STATUS.kept, PRUNE_STATUS.lp_dominated]);
  });

  it("orders ties deterministically: equal cost and value keep the lower action", () => {
    const d = createCandidates({
      nUnits: 1,
      unit: [0, 0],
      action: [2, 1],
      tauValue: [1, 1],
      tauCost: [1, 1],
    });
    const p = pruneCandidates(d, {});
    expect(Array.from(p.status)).toEqual([PRUNE_STATUS.dominated, PRUNE_STATUS.kept]);
  });
});
