import { CiaError, type DataValidationError } from "@cia/core";
import {
  readExperimentTable as readCsv,
  safeReadExperimentTable as safeReadCsv,
  writeTable,
} from "@cia/logging-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readExperimentTable, safeReadExperimentTable } from "./read-experiment-table.js";
import { tempDir } from "./test-helpers/temp-dir.js";
import { writeTableColumns } from "./write-table-columns.js";

const path = tempDir();

async function parquetOf(file: string, sql: string): Promise<string> {
  const { duckdbConnection } = await import("./duckdb-connection.js");
  const con = await duckdbConnection();
  await con.run(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
  return file;
}

async function issuesOf(file: string, options = {}) {
  const r = await safeReadExperimentTable(file, options);
  if (r.success) throw new Error("expected issues");
  return r.issues;
}

describe("readExperimentTable (Parquet)", () => {
  it("reads the same table as the CSV reader, with row numbers as lines", async () => {
    const rows = [
      {
        unit_id: "u1",
        action: "control",
        propensity: 0.5,
        value: 1.5,
        cost: 0,
        age: 30,
        plan: "gold",
        note: "NA",
      },
      {
        unit_id: "u2",
        action: "offer",
        propensity: 0.25,
        value: 0,
        cost: 2,
        age: null,
        plan: "basic",
        note: "7",
      },
      {
        unit_id: "00123",
        action: "offer",
        propensity: 1,
        value: -3,
        cost: 1,
        age: 41.5,
        plan: null,
        note: " x ",
      },
    ];
    const csv = path("t.csv");
    await writeTable(csv, rows);
    const pq = await parquetOf(path("t.parquet"), `SELECT * FROM read_csv('${csv}', all_varchar = true)`);
    const a = await readExperimentTable(pq, { require: ["action", "value"] });
    const b = await readCsv(csv, { require: ["action", "value"] });
    expect(Array.from(a.lines)).toEqual([1, 2, 3]);
    expect({ ...a, lines: [] }).toEqual({ ...b, file: pq, lines: [] });
    // Typed numeric columns arrive as numbers; null is a missing feature.
    const typed = await parquetOf(
      path("typed.parquet"),
      "SELECT 'u' || i AS unit_id, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS action, 0.5 AS propensity, i * 1.5 AS value, CASE WHEN i = 1 THEN NULL ELSE i END AS x, i = 2 AS flag FROM range(3) t(i)",
    );
    const t = await readExperimentTable(typed);
    expect(t.features.x).toEqual([0, null, 2]);
    expect(t.features.flag).toEqual([0, 0, 1]);
    expect(t.actionNames).toEqual(["a", "b"]);
    expect(Array.from(t.action!)).toEqual([0, 1, 0]);
    expect(Array.from(t.value!)).toEqual([0, 1.5, 3]);
  });

  it("reports bad cells with the row number and column", async () => {
    const pq = await parquetOf(
      path("bad.parquet"),
      "SELECT * FROM (VALUES ('u1', 'control', 0.5, 1.0), ('', 'offer', 1.5, 2.0), ('u3', 'offer', 0.5, NULL)) t(unit_id, action, propensity, value)",
    );
    const issues = await issuesOf(pq);
    expect(issues.map((i) => [i.code, i.line, i.path[0]])).toEqual([
      ["missing_value", 2, "unit_id"],
      ["propensity_out_of_range", 2, "propensity"],
      ["not_finite", 3, "value"],
    ]);
    expect(issues[2]!.message).toBe("value must be a finite number, got 'null'");
    expect(issues.every((i) => i.file === pq)).toBe(true);
    await expect(readExperimentTable(pq)).rejects.toSatisfy(
      (e: unknown) =>
        CiaError.isInstance(e) && (e as DataValidationError).message.includes(`${pq}:3: value:`),
    );
  });

  it("checks the header as the CSV reader does: contract features, known actions, required columns", async () => {
    const pq = await parquetOf(
      path("h.parquet"),
      "SELECT 'u1' AS unit_id, 'gift' AS action, 2 AS extra, 1.0 AS value",
    );
    expect((await issuesOf(pq, { features: ["age"], require: ["propensity"] })).map((i) => i.code)).toEqual([
      "missing_column",
      "missing_column",
      "unknown_column",
    ]);
    const known = await issuesOf(pq, { knownActions: ["control", "offer"] });
    expect(known[0]).toMatchObject({ code: "unknown_action", line: 1, path: ["action"] });
  });

  it("turns a missing, empty or non-Parquet file into one issue", async () => {
    expect((await issuesOf(path("absent.parquet")))[0]!.code).toBe("file_not_found");
    await writeTable(path("not.csv"), [{ unit_id: "u1" }]);
    const { copyFileSync } = await import("node:fs");
    copyFileSync(path("not.csv"), path("not.parquet"));
    expect((await issuesOf(path("not.parquet")))[0]!.code).toBe("invalid_parquet");
    const empty = await parquetOf(path("empty.parquet"), "SELECT 'u' AS unit_id WHERE false");
    expect((await issuesOf(empty))[0]!.code).toBe("empty_table");
  });

  it("agrees with the CSV reader on random tables (property)", async () => {
    const cell = fc.oneof(
      fc.constantFrom("", "NA", "nan", " null ", "0", "-1.5e3", "x,y", 'say "hi"', " pad ", "1e400"),
      fc.string({ maxLength: 6 }),
      fc.double({ noNaN: true }).map(String),
    );
    const row = fc.record({
      unit_id: fc.stringMatching(/^[a-z0-9]{1,3}$/),
      action: fc.constantFrom("control", "a", "b"),
      propensity: fc.oneof(
        { arbitrary: fc.constantFrom("0.5", "1", "0.25"), weight: 19 },
        { arbitrary: fc.constantFrom("1.5", "NA"), weight: 1 },
      ),
      cost: fc.oneof(
        { arbitrary: fc.constantFrom("0", "2"), weight: 19 },
        { arbitrary: fc.constantFrom("-1", ""), weight: 1 },
      ),
      value: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      f: cell,
      g: cell,
    });
    let k = 0;
    const outcomes = { success: 0, failure: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), async (rows) => {
        const csv = path(`p${k}.csv`);
        const pq = path(`p${k++}.parquet`);
        await writeTable(csv, rows);
        await writeTableColumns(
          pq,
          Object.keys(rows[0]!).map((name) => ({ name, type: "string" as const })),
          [
            {
              rows: rows.length,
              columns: Object.keys(rows[0]!).map((c) => rows.map((r) => r[c as keyof typeof r])),
            },
          ],
        );
        const a = await safeReadExperimentTable(pq);
        const b = await safeReadCsv(csv);
        expect(a.success).toBe(b.success);
        outcomes[a.success ? "success" : "failure"]++;
        if (a.success && b.success)
          expect({ ...a.data, file: "", lines: [] }).toEqual({ ...b.data, file: "", lines: [] });
        if (!a.success && !b.success) {
          // The same problems, the line of a CSV row being its row number + 1 (the header).
          const key = (i: { code: string; path: unknown[]; line?: number | undefined }, shift: number) =>
            `${(i.line ?? 0) + shift}:${i.code}:${i.path.join(".")}`;
          expect(a.issues.map((i) => key(i, 0)).sort()).toEqual(b.issues.map((i) => key(i, -1)).sort());
        }
      }),
      { numRuns: 60, seed: 7 },
    );
    // Both branches of the comparison ran.
    expect(outcomes.success).toBeGreaterThan(5);
    expect(outcomes.failure).toBeGreaterThan(5);
  });

  it("reads CSV with @cia/logging-schema's lines (from its bytes when plain)", async () => {
    const csv = path("plain.csv");
    await writeTable(csv, [{ unit_id: "u1", action: "control", value: 1 }]);
    const t = await readExperimentTable(csv);
    expect(t.lines[0]).toBe(2);
  });
});
