import { describe, expect, it } from "vitest";
import { reindexActions } from "./reindex-actions.js";
import { smallExperimentTable } from "./test-helpers/fixtures.js";

const table = smallExperimentTable();

describe("reindexActions", () => {
  it("returns the table's own indices for the same names, else remaps", () => {
    expect(reindexActions(table, ["offer", "control"])).toBe(table.action);
    expect([...reindexActions(table, ["control", "x", "offer"])]).toEqual([2, 0, 2]);
  });
  it("names file and line of an action outside the list", () => {
    expect(() => reindexActions(table, ["control"])).toThrow(
      /t\.csv:2: action: unknown action 'offer' \(known: control\) \[unknown_action\]/,
    );
  });
});
