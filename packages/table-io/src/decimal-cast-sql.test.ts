import { describe, expect, it } from "vitest";
import { duckdbConnection } from "./duckdb-connection.js";
import { decimalCastSql } from "./decimal-cast-sql.js";

/** The CSV readers' rule (logging-schema and the runner's row readers). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const rowReader = (s: string): number => (DECIMAL.test(s.trim()) ? Number(s.trim()) : Number.NaN);

describe("decimalCastSql", () => {
  it("accepts only what the row reader accepts, with the same value (every string of up to 4 characters)", async () => {
    const alphabet = ["0", "7", ".", "e", "E", "+", "-", "_", " ", "\t", "x", "i", "n", "f", "a", "d"];
    const strings: string[] = [];
    const grow = (prefix: string, depth: number): void => {
      strings.push(prefix);
      if (depth > 0) for (const c of alphabet) grow(prefix + c, depth - 1);
    };
    grow("", 4);
    // Long numbers as writers spell them: the same double both ways (both round correctly).
    let x = 12345;
    for (let i = 0; i < 3000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const v = ((x / 2147483648 - 0.5) * 10 ** ((i % 40) - 20)) / 3;
      strings.push(String(v), v.toExponential(), v.toFixed(6), ` ${v.toPrecision(17)}\t`);
    }
    const con = await duckdbConnection();
    await con.run("CREATE TEMP TABLE cells (s VARCHAR)");
    const app = await con.createAppender("cells");
    for (const s of strings) {
      app.appendVarchar(s);
      app.endRow();
    }
    app.closeSync();
    const rows = (await con.runAndReadAll(`SELECT s, ${decimalCastSql("s")} FROM cells`)).getRows();
    expect(rows.length).toBe(strings.length);
    const wrong: string[] = [];
    let accepted = 0;
    for (const [s, v] of rows) {
      const got = v === null ? Number.NaN : Number(v);
      if (!Number.isFinite(got)) continue;
      accepted++;
      if (got !== rowReader(String(s))) wrong.push(JSON.stringify(s));
    }
    expect(wrong).toEqual([]);
    // Not vacuous: hundreds of short spellings are numbers ("7", " .7e-0", "+70.", ...).
    expect(accepted).toBeGreaterThan(12_000 + 500);
    // DuckDB's own cast takes these two; the guard is what keeps them out.
    const bare = (
      await con.runAndReadAll("SELECT TRY_CAST('1_000' AS DOUBLE), TRY_CAST('+-1' AS DOUBLE)")
    ).getRows()[0]!;
    expect(bare.map(Number)).toEqual([1000, -1]);
    for (const s of ["1_000", "+-1", "0x10", "inf", "nan", "1e", ""]) expect(rowReader(s)).toBeNaN();
  });
});
