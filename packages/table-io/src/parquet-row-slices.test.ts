import { describe, expect, it } from "vitest";
import { duckdbConnection } from "./duckdb-connection.js";
import { readDoubles, vectorOf } from "./duckdb-vectors.js";
import { parquetRowChunks } from "./parquet-row-slices.js";
import { tempDir } from "./test-helpers/temp-dir.js";
import { writeTableColumns } from "./write-table-columns.js";

const path = tempDir();

/** A Parquet file of one column `x` holding 0, 1, ..., n - 1 in row order. */
async function counting(n: number): Promise<string> {
  const file = path(`counting-${n}.parquet`);
  await writeTableColumns(
    file,
    [{ name: "x", type: "double" }],
    [{ rows: n, columns: [Float64Array.from({ length: n }, (_, i) => i)] }],
  );
  return file;
}

/** Every `x` the chunks of `parquetRowChunks` give, in the order given. */
async function read(file: string, rows: number, sliceRows?: number): Promise<number[]> {
  const con = await duckdbConnection();
  const out: number[] = [];
  for await (const chunk of parquetRowChunks(con, file, "x", rows, sliceRows)) {
    const got = new Float64Array(chunk.rowCount);
    readDoubles(vectorOf(chunk, 0), chunk.rowCount, got, 0);
    out.push(...got);
  }
  return out;
}

describe("parquetRowChunks", () => {
  it("gives every row once, in file order, whatever the slice (within and across row groups)", async () => {
    const small = await counting(50);
    const all = Array.from({ length: 50 }, (_, i) => i);
    for (const slice of [1, 7, 49, 50, 51, 1000]) expect(await read(small, 50, slice)).toEqual(all);
    // Past DuckDB's 122,880-row groups: slices that start and end inside them.
    const big = await counting(300_000);
    const got = await read(big, 300_000, 100_003);
    expect(got.length).toBe(300_000);
    expect(got.every((x, i) => x === i)).toBe(true);
  }, 60_000);

  it("gives the rows past a short row count too (the caller refuses a footer that lies)", async () => {
    const file = await counting(20);
    expect(await read(file, 5, 2)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await read(file, 0)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("stops early without leaving the slice in flight to fail", async () => {
    const file = await counting(30);
    const con = await duckdbConnection();
    for await (const chunk of parquetRowChunks(con, file, "x", 30, 3)) {
      expect(chunk.rowCount).toBe(3);
      break;
    }
    // The connection still answers.
    expect(await read(file, 30, 10)).toHaveLength(30);
  });
});
