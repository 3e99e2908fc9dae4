import { writeFileAtomic } from "@cia/logging-schema";
import { type Chunks, check, fail } from "./column-chunks.js";
import { csvCell } from "./csv-cell.js";
import type { ColumnSpec } from "./table-columns.js";
import { type TableFileFormat, tableFileFormat } from "./table-file-format.js";

/** Options of {@link writeTableColumns}. */
export interface WriteTableColumnsOptions {
  /** Default from the name (see {@link tableFileFormat}). JSONL is not written column by column. */
  format?: "parquet" | "csv" | undefined;
}

/** Bytes per yielded block of CSV text. */
const CSV_BLOCK = 1 << 20;

/**
 * `s` at `buf[n]` as UTF-8 (the caller leaves room for 3 bytes per UTF-16 unit); the end. ASCII by
 * hand: a cell is a few bytes, and the encoder's call into C++ costs more than copying them.
 */
function putText(buf: Buffer, n: number, s: string): number {
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return n + buf.write(s.slice(i), n + i, "utf8") + i;
    buf[n + i] = c;
  }
  return n + len;
}

async function* csvText(
  file: string,
  specs: readonly ColumnSpec[],
  chunks: Chunks,
  count: { rows: number },
): AsyncGenerator<Uint8Array> {
  yield Buffer.from(`${specs.map((s) => csvCell(s.name)).join(",")}\n`, "utf8");
  // Category levels are quoted once, not once per row.
  const levels = specs.map((s) => (s.type === "category" ? s.levels.map(csvCell) : undefined));
  const width = specs.length;
  const row = new Array<string>(width).fill("");
  // The last string cell of each column: ids repeat on consecutive rows of long tables (a unit's
  // actions), so each is quoted once.
  const last = new Array<string | null | undefined>(width);
  const lastCell = new Array<string>(width).fill("");
  // A fresh block after each yield: the stream may still hold the one before.
  let buf = Buffer.allocUnsafe(CSV_BLOCK);
  let n = 0;
  for await (const chunk of chunks) {
    check(file, specs, chunk);
    const cols = chunk.columns;
    for (let i = 0; i < chunk.rows; i++) {
      let need = width;
      for (let j = 0; j < width; j++) {
        const s = specs[j]!;
        let cell: string;
        if (s.type === "double") cell = String((cols[j] as Float64Array)[i]);
        else if (s.type === "category") cell = levels[j]![(cols[j] as Int32Array)[i]!] ?? "";
        else {
          const v = (cols[j] as readonly (string | null)[])[i];
          if (v !== last[j] || i === 0) {
            last[j] = v;
            lastCell[j] = v === null || v === undefined ? "" : csvCell(v);
          }
          cell = lastCell[j]!;
        }
        row[j] = cell;
        need += 3 * cell.length;
      }
      if (n + need > buf.length) {
        if (n > 0) yield buf.subarray(0, n);
        buf = Buffer.allocUnsafe(Math.max(CSV_BLOCK, need));
        n = 0;
      }
      for (let j = 0; j < width; j++) {
        n = putText(buf, n, row[j]!);
        buf[n++] = j === width - 1 ? 10 : 44;
      }
    }
    count.rows += chunk.rows;
  }
  if (n > 0) yield buf.subarray(0, n);
}

/**
 * Write a table column by column, streamed in chunks, to Parquet (through embedded DuckDB: doubles,
 * text, categories as dictionary columns) or CSV (the bytes `writeTable` of @cia/logging-schema
 * writes for the same rows: papaparse's quoting, numbers in shortest round-trip form, NaN as `NaN`;
 * `.gz` gzipped), chosen by the name. Atomic: everything goes to a temporary file beside `file`,
 * renamed over it once complete, so a failure (a throwing chunk source, a full disk) leaves any
 * previous file untouched. No object per row is made: a chunk's typed arrays go to DuckDB's vectors
 * as bytes, or straight into CSV text.
 *
 * @example
 * await writeTableColumns("assignment.parquet", [{ name: "unit_id", type: "string" }, { name: "action", type: "category", levels: ["control", "offer"] }],
 *   [{ rows: 2, columns: [["u1", "u2"], new Int32Array([0, 1])] }]); // { file, format: "parquet", rows: 2 }
 */
export async function writeTableColumns(
  file: string,
  specs: readonly ColumnSpec[],
  chunks: Chunks,
  options: WriteTableColumnsOptions = {},
): Promise<{ file: string; format: TableFileFormat; rows: number }> {
  const format = tableFileFormat(file, options.format);
  if (format === "jsonl")
    fail("invalid_option", `${file}: writeTableColumns writes Parquet or CSV, not JSONL (use writeTable)`);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name))
      fail("duplicate_column", `${file}: column '${s.name}' given twice`, { column: s.name });
    seen.add(s.name);
    if (s.type === "category" && new Set(s.levels).size !== s.levels.length)
      fail("invalid_option", `${file}: category column '${s.name}' lists a level twice`, { column: s.name });
  }
  const count = { rows: 0 };
  // DuckDB (its native library) is loaded only for Parquet.
  if (format === "parquet")
    await (await import("./write-parquet-columns.js")).writeParquet(file, specs, chunks, count);
  else await writeFileAtomic(file, csvText(file, specs, chunks, count));
  return { file, format, rows: count.rows };
}
