// The README's example, run as a test so it cannot rot.
import { describe, expect, it } from "vitest";
import { allocate, allocateWithLambda, allocationSummary, candidatesFromRows, solveExact } from "./index.js";

describe("README example", () => {
  it("runs and prints what the README says", () => {
    const { candidates, units, actions } = candidatesFromRows([
      { unit_id: "u1", action: "5off", tau_value: 3.0, tau_cost: 1.0 },
      { unit_id: "u1", action: "10off", tau_value: 4.0, tau_cost: 3.0 },
      { unit_id: "u2", action: "5off", tau_value: 2.0, tau_cost: 1.0 },
      { unit_id: "u3", action: "5off", tau_value: 0.5, tau_cost: -0.2 },
      { unit_id: "u4", action: "5off", tau_value: -1.0, tau_cost: 1.0 },
    ]);
    const result = allocate(candidates, { budget: 3, maxTreated: 3, minValuePerCost: 0.4 });
    const summary = allocationSummary(result);
    expect(summary).toMatchObject({ units: 4, treated: 3, budget: 3 });
    expect(summary.spend).toBeCloseTo(1.8, 12);
    expect(summary.value).toBeCloseTo(5.5, 12);
    expect(summary.lambda).toBeCloseTo(0.5, 9);
    // LP: u3 free, u1 and u2 first offers, then 60% of u1's upgrade (room 1.2 of 2)
    expect(summary.upper_bound).toBeCloseTo(6.1, 9);
    expect(units.map((u, i) => `${u} ${actions[result.action[i]!]}`).join(" / ")).toBe(
      "u1 5off / u2 5off / u3 5off / u4 control",
    );
    expect(result.prune).toMatchObject({ total: 5, kept: 4, non_positive_value: 1 });
    expect(allocateWithLambda(candidates, result.totals.lambda).totals.spend).toBeCloseTo(1.8, 12);
    expect(solveExact(candidates, { budget: 3, maxTreated: 3, minValuePerCost: 0.4 }).value).toBeCloseTo(
      5.5,
      9,
    );
  });
});
