import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DataValidationError } from "@cia/core";
import { readExperimentTable, safeReadExperimentTable } from "./read-experiment-table.js";

const dir = mkdtempSync(join(tmpdir(), "cia-table-"));

function writeFixture(at: string, name: string, content: string): string {
  const p = join(at, name);
  writeFileSync(p, content);
  return p;
}

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
    expect(Array.from(t.action!, (k) => t.actionNames![k])).toEqual(["control", "offer"]);
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

describe("readExperimentTable: the missing-value rule, formats and action indices", () => {
  it("reads empty, NA, NaN and null cells (any case, spaces trimmed) as missing features", async () => {
    const csv = writeFixture(
      dir,
      "missing.csv",
      "unit_id,action,value,age,city\nu1,a,1,NA,null\nu2,a,2, nan ,NULL\nu3,b,3,,Na\nu4,b,4, 7 , Rome \n",
    );
    const t = await readExperimentTable(csv);
    expect(t.features.age).toEqual([null, null, null, 7]);
    expect(t.features.city).toEqual([null, null, null, "Rome"]);
  });

  it("reports a missing reserved number with file, line, field and fix", async () => {
    const message = await issuesOf("unit_id,action,propensity,value,cost\nu1,a,NA,null,\n");
    expect(message).toContain(
      "t.csv:2: propensity: propensity must be in (0, 1], got 'NA' [propensity_out_of_range]",
    );
    expect(message).toContain("t.csv:2: value: value must be a finite number, got 'null' [not_finite]");
    expect(message).toContain("t.csv:2: cost: cost must be a finite number, got '' [not_finite]");
    expect(await issuesOf("unit_id,action,value\n,,1\n")).toMatch(/unit_id is empty[\s\S]*action is empty/);
  });

  it("indexes actions by first appearance, or by knownActions when given", async () => {
    const csv = writeFixture(dir, "acts.csv", "unit_id,action,value\nu1,offer,1\nu2,control,2\nu3,offer,3\n");
    const t = await readExperimentTable(csv);
    expect(t.actionNames).toEqual(["offer", "control"]);
    expect([...t.action!]).toEqual([0, 1, 0]);
    const k = await readExperimentTable(csv, { knownActions: ["control", "other", "offer"] });
    expect(k.actionNames).toEqual(["control", "other", "offer"]);
    expect([...k.action!]).toEqual([2, 0, 2]);
    const scoring = await readExperimentTable(writeFixture(dir, "s.csv", "unit_id,age\nu1,3\n"));
    expect(scoring.action).toBeUndefined();
    expect(scoring.actionNames).toBeUndefined();
  });

  it("reads gzipped CSV and JSONL, and names a corrupt archive", async () => {
    const text = "unit_id,action,value,age\nu1,a,1,30\nu2,b,2,\n";
    const gz = join(dir, "t.csv.gz");
    writeFileSync(gz, gzipSync(text));
    const t = await readExperimentTable(gz);
    expect(t.n).toBe(2);
    expect(t.features.age).toEqual([30, null]);
    expect([...t.lines]).toEqual([2, 3]);
    const jz = join(dir, "t.jsonl.gz");
    writeFileSync(jz, gzipSync('{"unit_id":"u1","action":"a","value":1}\n'));
    expect((await readExperimentTable(jz)).n).toBe(1);
    writeFileSync(join(dir, "bad.csv.gz"), text);
    await expect(readExperimentTable(join(dir, "bad.csv.gz"))).rejects.toThrow(
      /bad\.csv\.gz: not a valid gzip file .*\[invalid_gzip\]/,
    );
  });

  it("reports rows with the wrong cell count, a duplicated column and a non-object line", async () => {
    expect(await issuesOf("unit_id,value\nu1,1,2\nu2\n")).toMatch(
      /t\.csv:2: row has 3 cells but the header has 2 columns \[column_count\]\n.*t\.csv:3: row has 1 cells/,
    );
    expect(await issuesOf("unit_id,value,value\nu1,1,2\n")).toMatch(
      /t\.csv:1: value: column 'value' appears twice/,
    );
    expect(await issuesOf('{"unit_id":"u1","value":1}\n[1]\n', "arr.jsonl")).toMatch(
      /arr\.jsonl:2: each line must be a JSON object \[not_an_object\]/,
    );
  });

  it("has a safe variant that returns the issues", async () => {
    const r = await safeReadExperimentTable(writeFixture(dir, "nan.csv", "unit_id,value\nu1,NaN\n"));
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.issues.map((i) => [i.file, i.line, i.code])).toEqual([[`${dir}/nan.csv`, 2, "not_finite"]]);
    const missing = await safeReadExperimentTable(`${dir}/nope.csv`);
    expect(!missing.success && missing.issues[0]!.code).toBe("file_not_found");
  });
});
