import { readFileSync, writeFileSync } from "node:fs";
import { CiaError, type DataValidationError } from "@cia/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { readTable } from "./read-table.js";
import { tempDir } from "./test-helpers/fixtures.js";
import { writeTable } from "./write-table.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe("readTable", () => {
  it("reads CSV cells as numbers, strings or null, keeping id columns as strings", async () => {
    const file = tmp.path("table.csv");
    writeFileSync(
      file,
      "unit_id,action,propensity,value,cost,country,age\n007,credit_5,0.5,3.25,,DE,41\n008,control,0.5,0,0,,1e2\n",
    );
    const reader = readTable(file);
    const rows = [];
    for await (const r of reader) rows.push(r);
    expect(rows).toEqual([
      {
        line: 2,
        record: {
          unit_id: "007",
          action: "credit_5",
          propensity: 0.5,
          value: 3.25,
          cost: null,
          country: "DE",
          age: 41,
        },
      },
      {
        line: 3,
        record: {
          unit_id: "008",
          action: "control",
          propensity: 0.5,
          value: 0,
          cost: 0,
          country: null,
          age: 100,
        },
      },
    ]);
    expect(reader.summary).toMatchObject({ rows: 2, valid: 2 });
  });

  it("numbers lines through quoted multi-line cells, CRLF and blank lines", async () => {
    const file = tmp.path("ml.csv");
    writeFileSync(file, 'unit_id,note\r\n"a","line 1\r\nline 2"\r\n\r\n\r\nb,x\r\n"c","p\nq\nr"\r\nd,y');
    const reader = readTable(file);
    const rows = [];
    for await (const r of reader) rows.push([r.line, r.record.unit_id, r.record.note]);
    expect(rows).toEqual([
      [2, "a", "line 1\r\nline 2"],
      [6, "b", "x"],
      [7, "c", "p\nq\nr"],
      [10, "d", "y"],
    ]);
    expect(reader.summary).toMatchObject({ rows: 4, blankLines: 2 });
  });

  it("validates rows with a schema, reporting line and field", async () => {
    const file = tmp.path("table.jsonl");
    writeFileSync(file, '{"unit_id":"a","value":1}\n[1,2]\n{"unit_id":"b","value":"x"}\n');
    const schema = z.looseObject({ unit_id: z.string(), value: z.number() });
    const err = await readTable(file, { schema })
      .toArray()
      .catch((e: unknown) => e);
    expect((err as DataValidationError).issues.map((i) => [i.line, i.code, i.path])).toEqual([
      [2, "invalid_type", []],
      [3, "invalid_type", ["value"]],
    ]);
    const reader = readTable(file, { mode: "quarantine" });
    expect(await reader.toArray()).toEqual([
      { unit_id: "a", value: 1 },
      { unit_id: "b", value: "x" },
    ]);
    expect(reader.summary!.issues.map((i) => [i.line, i.code])).toEqual([[2, "not_an_object"]]);
  });
});

describe("writeTable", () => {
  const rows = [
    { unit_id: "u1", action: "control", propensity: 0.5, value: 1.5, cost: 0, f: "a" },
    { unit_id: "u2", action: "x", propensity: 0.5, value: Number.NaN, cost: null, f: null },
  ];
  it("round-trips through CSV (NaN spelled out) and JSONL (NaN as null)", async () => {
    await writeTable(tmp.path("t.csv"), rows);
    expect(readFileSync(tmp.path("t.csv"), "utf8")).toBe(
      "unit_id,action,propensity,value,cost,f\nu1,control,0.5,1.5,0,a\nu2,x,0.5,NaN,,\n",
    );
    const back = await readTable(tmp.path("t.csv")).toArray();
    expect(back[1]!.value).toBeNaN();
    await writeTable(tmp.path("t.jsonl"), rows);
    expect(await readTable(tmp.path("t.jsonl")).toArray()).toEqual([rows[0], { ...rows[1], value: null }]);
  });
  it("refuses a column outside the header instead of cutting it", async () => {
    const err = await writeTable(tmp.path("t.csv"), [{ a: 1 }, { a: 2, b: 3 }]).catch((e: unknown) => e);
    expect(CiaError.isInstance(err) && err.code).toBe("unknown_column");
  });
  it("writes a header for an empty table when columns are given", async () => {
    await writeTable(tmp.path("e.csv"), [], { columns: ["unit_id", "action"] });
    expect(readFileSync(tmp.path("e.csv"), "utf8")).toBe("unit_id,action\n");
  });
});
