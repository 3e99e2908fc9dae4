import { describe, expect, it } from "vitest";
import { selectExperimentRows } from "./select-experiment-rows.js";
import { smallExperimentTable } from "./test-helpers/fixtures.js";

const table = smallExperimentTable();

describe("selectExperimentRows", () => {
  it("copies the chosen rows in order, keeping lines and sharing action names", () => {
    const s = selectExperimentRows(table, Int32Array.of(2, 0), "t.csv (holdout)");
    expect(s.file).toBe("t.csv (holdout)");
    expect(s.n).toBe(2);
    expect([...s.lines]).toEqual([5, 2]);
    expect(s.unitIds).toEqual(["u3", "u1"]);
    expect([...s.action!]).toEqual([0, 0]);
    expect(s.actionNames).toBe(table.actionNames);
    expect([...s.propensity!]).toEqual([0.25, 0.5]);
    expect(s.cost).toBeUndefined();
    expect(s.features).toEqual({ age: [41, 30], city: [null, "Rome"] });
  });
});
