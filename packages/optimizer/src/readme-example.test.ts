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
    console.log(JSON.stringify(summary));
    console.log(units.map((u, i) => `${u} ${actions[result.action[i]!]}`).join(" / "));
    console.log(JSON.stringify(result.prune));
    console.log(allocateWithLambda(candidates, result.totals.lambda).totals.spend);
    console.log(solveExact(candidates, { budget: 3, maxTreated: 3, minValuePerCost: 0.4 }).value);
  });
});
