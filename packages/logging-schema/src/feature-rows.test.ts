import { describe, expect, it } from "vitest";
import { featureRows } from "./feature-rows.js";
import { smallExperimentTable } from "./test-helpers/fixtures.js";

const table = smallExperimentTable();

describe("featureRows", () => {
  it("turns feature columns into row objects, absent columns undefined", () => {
    expect(featureRows(table)).toEqual([
      { age: 30, city: "Rome" },
      { age: null, city: "Paris" },
      { age: 41, city: null },
    ]);
    expect(featureRows(table, ["city", "zzz"])[0]).toEqual({ city: "Rome", zzz: undefined });
  });
});
