import { describe, expect, it } from "vitest";
import { createWorld } from "./create-world.js";
import { truthRows } from "./truth-rows.js";

describe("truthRows", () => {
  it("writes one row per unit and non-control action with the true effects", () => {
    const world = createWorld("many-actions");
    const k = world.actions.length;
    const pop = world.sampleUnits(50, { seed: 1 });
    const truth = world.truth(pop);
    const rows = Array.from(truthRows(world.actions, pop, truth, { short: true }));
    expect(rows.length).toBe(pop.n * (k - 1));
    expect(rows.some((r) => r.action === "control")).toBe(false);
    const r = rows[(k - 1) * 7 + 2]!;
    expect(r.unit_id).toBe(pop.unitIds[7]);
    expect(r.action).toBe(world.actions[3]!.name);
    expect(r.tau_value).toBe(truth.tauValue[7 * k + 3]);
    expect(r.tau_cost).toBe(truth.tauCost[7 * k + 3]);
    expect(r.tau_value_short).toBe(truth.tauValueShort[7 * k + 3]);
    expect(Object.keys(Array.from(truthRows(world.actions, pop, truth))[0]!)).toEqual([
      "unit_id",
      "action",
      "tau_value",
      "tau_cost",
    ]);
    expect(() => Array.from(truthRows(world.actions.slice(0, 3), pop, truth))).toThrow(/actions/);
  });
});
