import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CiaError } from "@cia/core";
import { writeTable } from "@cia/logging-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duckdbConnection } from "./duckdb-connection.js";
import type { ColumnSpec } from "./table-columns.js";
import { tempDir } from "./test-helpers/temp-dir.js";
import { writeTableColumns } from "./write-table-columns.js";

const path = tempDir();

const specs: ColumnSpec[] = [
  { name: "unit_id", type: "string" },
  { name: "action", type: "category", levels: ["control", "offer, big", 'say "x"'] },
  { name: "tau_value", type: "double" },
];

describe("writeTableColumns", () => {
  it("writes CSV byte for byte as writeTable writes the same rows (property)", async () => {
    const row = fc.record({
      unit_id: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 4, unit: "binary" }),
        fc.constantFrom(" a", "b ", "x\ny", "c,d", '"q"', "\ufeffz", "é", "日本"),
      ),
      action: fc.integer({ min: 0, max: 2 }),
      tau_value: fc.oneof(fc.double(), fc.constantFrom(0, -0, 1e21, 1e-7, Number.NaN)),
    });
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 12 }), async (rows) => {
        const ours = path(`ours${k}.csv`);
        const theirs = path(`theirs${k++}.csv`);
        const levels = (specs[1] as { levels: readonly string[] }).levels;
        await writeTableColumns(ours, specs, [
          {
            rows: rows.length,
            columns: [
              rows.map((r) => r.unit_id),
              Int32Array.from(rows, (r) => r.action),
              Float64Array.from(rows, (r) => r.tau_value),
            ],
          },
        ]);
        await writeTable(
          theirs,
          rows.map((r) => ({ ...r, action: levels[r.action] })),
          { columns: ["unit_id", "action", "tau_value"], format: "csv" },
        );
        expect(readFileSync(ours, "utf8")).toBe(readFileSync(theirs, "utf8"));
      }),
      { numRuns: 80, seed: 3 },
    );
  });

  it("writes CSV across its 1 MiB blocks as writeTable does (non-ASCII ids, repeated ids)", async () => {
    const levels = (specs[1] as { levels: readonly string[] }).levels;
    const n = 90_000;
    const ids = Array.from({ length: n }, (_, i) => `ü${"x".repeat(i % 13)}${Math.floor(i / 3)}`);
    const action = Int32Array.from({ length: n }, (_, i) => i % 3);
    const value = Float64Array.from({ length: n }, (_, i) => i / 7);
    await writeTableColumns(path("big.csv"), specs, [
      { rows: 50_000, columns: [ids, action, value] },
      { rows: n - 50_000, columns: [ids.slice(50_000), action.subarray(50_000), value.subarray(50_000)] },
    ]);
    const rows = ids.map((unit_id, i) => ({ unit_id, action: levels[action[i]!], tau_value: value[i] }));
    await writeTable(path("big-rows.csv"), rows, {
      columns: ["unit_id", "action", "tau_value"],
      format: "csv",
    });
    const ours = readFileSync(path("big.csv"));
    expect(ours.length).toBeGreaterThan(2 << 20);
    expect(ours.equals(readFileSync(path("big-rows.csv")))).toBe(true);
  });

  it("writes the longest number text (25 characters) whole at a block's end", async () => {
    // String(-0.0000012345678901234567) is 25 characters, the longest a double prints as: with
    // every row `x\n` = 26 bytes after one 23-byte row, a row starts 25 bytes before the first
    // block's end (2^20 = 23 + 26 * 40329 + 25), so any room short of 25 per number loses bytes.
    const long = -0.0000012345678901234567;
    expect(String(long)).toHaveLength(25);
    const n = 50_000;
    const x = new Float64Array(n).fill(long);
    x[0] = -1.2345678901234566e-7;
    const file = path("longest-number.csv");
    await writeTableColumns(file, [{ name: "x", type: "double" }], [{ rows: n, columns: [x] }]);
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines).toHaveLength(n + 2);
    expect(lines[0]).toBe("x");
    expect(lines.slice(1, -1).map(Number)).toEqual(Array.from(x));
  });

  it("writes Parquet that DuckDB reads back: doubles, strings with nulls, categories as text", async () => {
    const file = path("out/t.parquet");
    const r = await writeTableColumns(file, specs, [
      { rows: 2, columns: [["u1", null], Int32Array.of(0, 2), Float64Array.of(1.5, Number.NaN)] },
      { rows: 1, columns: [["u3"], Uint8Array.of(1), Float64Array.of(-2)] },
    ]);
    expect(r).toEqual({ file, format: "parquet", rows: 3 });
    const con = await duckdbConnection();
    const back = await con.runAndReadAll(
      `SELECT unit_id, CAST(action AS VARCHAR) AS action, tau_value FROM read_parquet('${file}')`,
    );
    expect(back.getRowObjectsJS()).toEqual([
      { unit_id: "u1", action: "control", tau_value: 1.5 },
      { unit_id: null, action: 'say "x"', tau_value: Number.NaN },
      { unit_id: "u3", action: "offer, big", tau_value: -2 },
    ]);
    // Only the file itself is left: the temporary file was renamed.
    expect(readdirSync(dirname(file))).toEqual(["t.parquet"]);
  });

  it("writes Parquet strings DuckDB reads back as they were: ASCII, non-ASCII, short, long, repeated (property)", async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 14 }),
      fc.string({ maxLength: 5, unit: "binary" }),
      fc.constantFrom("", "u000001", "abcdefghijkl", "abcdefghijklm", "é", "日本語のid", "ü12345678901"),
    );
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text), { maxLength: 20 }), async (ids) => {
        // Runs of one value, as a unit's rows repeat its id.
        const strs = ids.flatMap((v, i) => (i % 3 === 0 ? [v, v] : [v]));
        const file = path(`strings${k++}.parquet`);
        await writeTableColumns(file, [specs[0]!], [{ rows: strs.length, columns: [strs] }]);
        const con = await duckdbConnection();
        const back = await con.runAndReadAll(`SELECT unit_id FROM read_parquet('${file}')`);
        expect(back.getRowsJS().map((r) => r[0])).toEqual(strs);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it("writes more rows than one DuckDB vector, in order", async () => {
    const n = 5000;
    const file = path("long.parquet");
    const ids = Array.from({ length: n }, (_, i) => `unit-with-a-long-id-${i}`);
    await writeTableColumns(
      file,
      [specs[0]!, specs[2]!],
      [{ rows: n, columns: [ids, Float64Array.from(ids, (_, i) => i)] }],
    );
    const con = await duckdbConnection();
    const back = await con.runAndReadAll(
      `SELECT count(*) FILTER (WHERE tau_value = ordinality - 1 AND unit_id = 'unit-with-a-long-id-' || (ordinality - 1)) AS ok FROM (SELECT *, row_number() OVER () AS ordinality FROM read_parquet('${file}'))`,
    );
    expect(Number(back.getRowsJS()[0]![0])).toBe(n);
  });

  it("is atomic: a failing chunk source leaves the previous file and no temporary file", async () => {
    for (const name of ["keep.parquet", "keep.csv"]) {
      const file = path(`atomic/${name}`);
      await writeTableColumns(file, [specs[2]!], [{ rows: 1, columns: [Float64Array.of(1)] }]);
      const before = readFileSync(file);
      async function* failing() {
        yield { rows: 1, columns: [Float64Array.of(2)] };
        throw new Error("source failed");
      }
      await expect(writeTableColumns(file, [specs[2]!], failing())).rejects.toThrow("source failed");
      expect(readFileSync(file).equals(before)).toBe(true);
    }
    expect(readdirSync(dirname(path("atomic/x"))).sort()).toEqual(["keep.csv", "keep.parquet"]);
  });

  it("refuses short columns, duplicate names, repeated levels and JSONL", async () => {
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return CiaError.isInstance(e) ? e.code : String(e);
      }
      return "no error";
    };
    expect(
      await code(writeTableColumns(path("a.csv"), [specs[2]!], [{ rows: 2, columns: [Float64Array.of(1)] }])),
    ).toBe("shape_mismatch");
    expect(await code(writeTableColumns(path("b.parquet"), [specs[2]!, specs[2]!], []))).toBe(
      "duplicate_column",
    );
    expect(
      await code(writeTableColumns(path("c.csv"), [{ name: "a", type: "category", levels: ["x", "x"] }], [])),
    ).toBe("invalid_option");
    expect(await code(writeTableColumns(path("d.jsonl"), [specs[2]!], []))).toBe("invalid_option");
    expect(existsSync(path("a.csv"))).toBe(false);
  });

  it("gzips a .csv.gz", async () => {
    const file = path("z.csv.gz");
    await writeTableColumns(file, [specs[0]!], [{ rows: 1, columns: [["u1"]] }]);
    const { gunzipSync } = await import("node:zlib");
    expect(gunzipSync(readFileSync(file)).toString()).toBe("unit_id\nu1\n");
    writeFileSync(path("unused"), "");
  });
});
