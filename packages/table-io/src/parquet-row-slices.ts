// A query over a Parquet file's rows read in slices of consecutive rows, each materialized in one
// round trip to DuckDB. Internal to the package.
import type { DuckDBConnection, DuckDBDataChunk } from "@duckdb/node-api";
import { sqlString } from "./duckdb-connection.js";

/**
 * Rows per slice: about 500 of DuckDB's 2,048-row chunks, tens of MB materialized whatever the
 * file's size (a 40M-row file is never held whole).
 */
export const SLICE_ROWS = 1 << 20;

/**
 * The chunks of `SELECT select FROM read_parquet(file)`, in file order, fetched a slice of
 * `sliceRows` rows at a time. Why: streaming costs one round trip to DuckDB's thread pool per
 * 2,048-row chunk (about a quarter of a millisecond each, half a second at 4M rows), where a
 * materialized slice is one round trip and its chunks are then read synchronously. Each slice is
 * a range of `file_row_number`, so DuckDB skips the row groups outside it; the next slice is
 * already being read on DuckDB's threads while the caller works on this one. The last slice has no
 * upper end: a file holding more rows than `rows` (its footer's count) yields them all, for the
 * caller to refuse.
 *
 * @example
 * for await (const chunk of parquetRowChunks(con, "scores.parquet", "tau_value", rows)) use(chunk);
 */
export async function* parquetRowChunks(
  con: DuckDBConnection,
  file: string,
  select: string,
  rows: number,
  sliceRows = SLICE_ROWS,
): AsyncGenerator<DuckDBDataChunk> {
  const source = `read_parquet(${sqlString(file)}, file_row_number = true)`;
  const slice = (from: number) =>
    con.run(
      from + sliceRows >= rows
        ? `SELECT ${select} FROM ${source} WHERE file_row_number >= ${from}`
        : `SELECT ${select} FROM ${source} WHERE file_row_number BETWEEN ${from} AND ${from + sliceRows - 1}`,
    );
  let next: ReturnType<typeof slice> | undefined = slice(0);
  try {
    for (let from = 0; next !== undefined; from += sliceRows) {
      const result = await next;
      next = from + sliceRows < rows ? slice(from + sliceRows) : undefined;
      for (let c = 0; c < result.chunkCount; c++) yield result.getChunk(c);
    }
  } finally {
    // The caller stopped early (enough issues): the slice in flight is not needed.
    next?.catch(() => undefined);
  }
}
