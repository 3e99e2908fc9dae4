import { writeFileSync } from "node:fs";
import { type DataIssue, DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { readScoresColumnar } from "./read-scores-columnar.js";
import type { ColumnSpec } from "./table-columns.js";
import { tempDir } from "./test-helpers/temp-dir.js";
import { writeTableColumns } from "./write-table-columns.js";

const path = tempDir();
const specs: ColumnSpec[] = [
  { name: "unit_id", type: "string" },
  { name: "action", type: "string" },
  { name: "tau_value", type: "double" },
  { name: "tau_cost", type: "double" },
];

async function write(file: string, rows: [string, string, number, number][]): Promise<string> {
  await writeTableColumns(file, specs, [
    {
      rows: rows.length,
      columns: [
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        Float64Array.from(rows, (r) => r[2]),
        Float64Array.from(rows, (r) => r[3]),
      ],
    },
  ]);
  return file;
}

async function issues(file: string): Promise<DataIssue[]> {
  try {
    await readScoresColumnar(file);
  } catch (e) {
    if (e instanceof DataValidationError) return e.issues;
    throw e;
  }
  throw new Error("expected issues");
}

const good: [string, string, number, number][] = [
  ["u1", "a", 1, 0.5],
  ["u1", "b", 2, 1],
  ["u2", "b", -1, 0],
  ["u3", "a", 0.25, 3],
];

describe("readScoresColumnar", () => {
  it("pivots Parquet and plain CSV alike: units and actions in first-seen order, NaN for missing pairs", async () => {
    for (const ext of ["parquet", "csv"]) {
      const s = (await readScoresColumnar(await write(path(`s.${ext}`), good)))!;
      expect(s.unitIds).toEqual(["u1", "u2", "u3"]);
      expect(s.actions).toEqual(["a", "b"]);
      expect(Array.from(s.tauValue)).toEqual([1, 2, Number.NaN, -1, 0.25, Number.NaN]);
      expect(Array.from(s.tauCost)).toEqual([0.5, 1, Number.NaN, 0, 3, Number.NaN]);
      expect(s.tauValueLower).toBeUndefined();
    }
  });

  it("keeps first-seen order for unsorted units, and finds a unit that comes back", async () => {
    const rows: [string, string, number, number][] = [
      ["u9", "b", 1, 0],
      ["u2", "a", 2, 0],
      ["u5", "a", 3, 0],
      ["u2", "b", 4, 0],
    ];
    for (const ext of ["parquet", "csv"]) {
      const s = (await readScoresColumnar(await write(path(`unsorted.${ext}`), rows)))!;
      expect(s.unitIds).toEqual(["u9", "u2", "u5"]);
      expect(s.actions).toEqual(["b", "a"]);
      expect(Array.from(s.tauValue)).toEqual([1, Number.NaN, 4, 2, Number.NaN, 3]);
    }
    const again = await write(path("again.parquet"), [...rows, ["u9", "b", 5, 0]]);
    expect((await issues(again)).map((i) => [i.code, i.line])).toEqual([["duplicate_row", 5]]);
  });

  it("reports Parquet issues with the row number and column", async () => {
    const file = await write(path("bad.parquet"), [
      ["u1", "a", 1, 0],
      ["u1", "a", 2, 0],
      ["u2", "control", 1, 0],
      ["u3", "b", Number.NaN, 0],
    ]);
    expect((await issues(file)).map((i) => [i.code, i.line, i.path[0]])).toEqual([
      ["duplicate_row", 2, "action"],
      ["control_row", 3, "action"],
      ["not_finite", 4, "tau_value"],
    ]);
    writeFileSync(path("cols.csv"), "unit_id,action,tau_value,extra\nu1,a,1,2\n");
    await writeTableColumns(
      path("cols.parquet"),
      [specs[0]!, specs[1]!, specs[2]!, { name: "extra", type: "double" }],
      [{ rows: 1, columns: [["u1"], ["a"], Float64Array.of(1), Float64Array.of(2)] }],
    );
    expect((await issues(path("cols.parquet"))).map((i) => i.code)).toEqual([
      "missing_column",
      "unknown_column",
    ]);
  });

  it("hands a CSV it cannot vouch for back to the row reader (undefined)", async () => {
    const cases: Record<string, string> = {
      quoted: 'unit_id,action,tau_value,tau_cost\n"u1",a,1,0\n',
      crlf: "unit_id,action,tau_value,tau_cost\r\nu1,a,1,0\r\n",
      control: "unit_id,action,tau_value,tau_cost\nu1,control,1,0\n",
      duplicate: "unit_id,action,tau_value,tau_cost\nu1,a,1,0\nu1,a,1,0\n",
      not_a_number: "unit_id,action,tau_value,tau_cost\nu1,a,0x10,0\n",
      missing: "unit_id,action,tau_value,tau_cost\nu1,a,,0\n",
      ragged: "unit_id,action,tau_value,tau_cost\nu1,a,1\n",
      empty_id: "unit_id,action,tau_value,tau_cost\n,a,1,0\n",
      no_rows: "unit_id,action,tau_value,tau_cost\n",
      missing_column: "unit_id,action,tau_value\nu1,a,1\n",
    };
    for (const [name, text] of Object.entries(cases)) {
      writeFileSync(path(`${name}.csv`), text);
      expect([name, await readScoresColumnar(path(`${name}.csv`))]).toEqual([name, undefined]);
    }
    expect(await readScoresColumnar(path("absent.csv"))).toBeUndefined();
  });
});
