import { describe, expect, it } from "vitest";
import { uniformDesign } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";
import { experimentTableColumns, experimentTableRows } from "./experiment-table.js";

describe("experimentTableRows", () => {
  const world = createWorld("default");
  const pop = world.sampleUnits(500, { seed: 1 });
  const log = world.log(pop, uniformDesign(5), { seed: 2 });

  it("writes unit_id, action, propensity, value, cost, then features with categorical levels", () => {
    const rows = Array.from(experimentTableRows(pop, log));
    expect(rows.length).toBe(pop.n);
    expect(Object.keys(rows[0]!)).toEqual(experimentTableColumns(pop));
    expect(experimentTableColumns(pop).slice(0, 5)).toEqual([
      "unit_id",
      "action",
      "propensity",
      "value",
      "cost",
    ]);
    for (let i = 0; i < pop.n; i++) {
      const r = rows[i]!;
      expect(r.unit_id).toBe(pop.unitIds[i]);
      expect(r.action).toBe(world.actions[log.action[i]!]!.name);
      expect(r.value).toBe(log.value[i]);
      expect(r.cost).toBe(log.cost[i]);
      expect(["new", "active", "dormant"][pop.lifecycle[i]!]).toBe(r.lifecycle);
      expect(typeof r.platform).toBe("string");
      expect(r.days_inactive).toBe(pop.daysInactive[i]);
    }
  });

  it("switches the value column to the short proxy and can drop features", () => {
    const rows = Array.from(experimentTableRows(pop, log, { value: "short", features: false }));
    expect(Object.keys(rows[0]!)).toEqual(["unit_id", "action", "propensity", "value", "cost"]);
    for (let i = 0; i < rows.length; i++) expect(rows[i]!.value).toBe(log.valueShort[i]);
  });
});
