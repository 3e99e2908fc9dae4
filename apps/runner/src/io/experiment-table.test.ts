import { describe, expect, it } from "vitest";
import { DataValidationError } from "@cia/core";
import { tempDir, writeFixture } from "../test-helpers/run-cli.js";
import { readExperimentTable } from "./experiment-table.js";

const dir = tempDir();

async function issuesOf(content: string, name = "t.csv", options = {}): Promise<string> {
  const file = writeFixture(dir, name, content);
  try {
    await readExperimentTable(file, options);
  } catch (e) {
    if (e instanceof DataValidationError) return e.message;
    throw e;
  }
  return "";
}

describe("readExperimentTable", () => {
  it("reads reserved columns and raw features from CSV and JSONL", async () => {
    const csv = writeFixture(
      dir,
      "ok.csv",
      'unit_id,action,propensity,value,cost,age,city\nu1,control,0.5,1.5,0,30,"Paris, FR"\nu2,offer,0.5,2,1,,Rome\n',
    );
    const t = await readExperimentTable(csv, { require: ["action", "value"] });
    expect(t.n).toBe(2);
    expect(t.actions).toEqual(["control", "offer"]);
    expect([...t.propensity!]).toEqual([0.5, 0.5]);
    expect(t.featureNames).toEqual(["age", "city"]);
    expect(t.features.age).toEqual([30, null]);
    expect(t.features.city).toEqual(["Paris, FR", "Rome"]);
    expect([...t.lines]).toEqual([2, 3]);
    const jsonl = writeFixture(
      dir,
      "ok.jsonl",
      '{"unit_id":"u1","action":"control","value":1,"age":3}\n\n{"unit_id":"u2","action":"a","value":2,"age":null}\n',
    );
    const j = await readExperimentTable(jsonl);
    expect(j.n).toBe(2);
    expect(j.features.age).toEqual([3, null]);
    expect([...j.lines]).toEqual([1, 3]);
  });

  it("names file, line and field for NaN, propensity 0, unknown action, unknown and missing columns", async () => {
    expect(await issuesOf("unit_id,action,propensity,value\nu1,control,0.5,NaN\n")).toMatch(
      /t\.csv:2: value: value must be a finite number, got 'NaN' \[not_finite\]/,
    );
    expect(await issuesOf("unit_id,action,propensity,value\nu1,control,0,1\n")).toMatch(
      /t\.csv:2: propensity: propensity must be in \(0, 1\]/,
    );
    expect(
      await issuesOf("unit_id,action,value\nu1,bogus,1\n", "t.csv", { knownActions: ["control", "offer"] }),
    ).toMatch(/t\.csv:2: action: unknown action 'bogus' \(known: control, offer\) \[unknown_action\]/);
    expect(await issuesOf("unit_id,value,age,zzz\nu1,1,3,4\n", "t.csv", { features: ["age"] })).toMatch(
      /t\.csv:1: zzz: unknown column 'zzz'/,
    );
    expect(await issuesOf("unit_id,value\nu1,1\n", "t.csv", { require: ["action"] })).toMatch(
      /missing column 'action'/,
    );
    expect(await issuesOf("unit_id,value\n")).toMatch(/no rows/);
    expect(await issuesOf('{"unit_id": 1,\n', "bad.jsonl")).toMatch(/bad\.jsonl:1: not valid JSON/);
  });

  it("reports a missing file as a data issue", async () => {
    await expect(readExperimentTable(`${dir}/nope.csv`)).rejects.toThrow(/no such file/);
  });
});
