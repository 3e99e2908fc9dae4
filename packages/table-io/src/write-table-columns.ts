import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CiaError } from "@cia/core";
import { writeFileAtomic } from "@cia/logging-schema";
import { DOUBLE, DuckDBDataChunk, type DuckDBType, ENUM, VARCHAR } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import { csvCell } from "./csv-cell.js";
import { duckdbConnection, sqlIdent, sqlString } from "./duckdb-connection.js";
import type { TableIoErrorCode } from "./error-codes.js";
import type { ColumnChunk, ColumnSpec, ColumnValues } from "./table-columns.js";
import { type TableFileFormat, tableFileFormat } from "./table-file-format.js";

/** Options of {@link writeTableColumns}. */
export interface WriteTableColumnsOptions {
  /** Default from the name (see {@link tableFileFormat}). JSONL is not written column by column. */
  format?: "parquet" | "csv" | undefined;
}

type Chunks = AsyncIterable<ColumnChunk> | Iterable<ColumnChunk>;

function fail(code: TableIoErrorCode, message: string, details: Record<string, unknown> = {}): never {
  throw new CiaError<TableIoErrorCode>(code, message, details);
}

function check(file: string, specs: readonly ColumnSpec[], chunk: ColumnChunk): void {
  if (chunk.columns.length !== specs.length)
    fail("shape_mismatch", `${file}: a chunk has ${chunk.columns.length} columns, the table ${specs.length}`);
  specs.forEach((s, j) => {
    const col = chunk.columns[j]!;
    if (col.length < chunk.rows)
      fail("shape_mismatch", `${file}: column '${s.name}' has ${col.length} values for ${chunk.rows} rows`, {
        column: s.name,
      });
  });
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

function duckdbType(s: ColumnSpec): DuckDBType {
  if (s.type === "double") return DOUBLE;
  if (s.type === "string") return VARCHAR;
  return ENUM(s.levels);
}

/** Null rows of one vector: validity bits (64-bit words, 1 = valid) copied to DuckDB once per vector. */
class Nulls {
  private bits: Uint8Array | undefined;
  constructor(private readonly rows: number) {}
  set(i: number): void {
    if (this.bits === undefined) this.bits = new Uint8Array(Math.ceil(this.rows / 64) * 8).fill(255);
    this.bits[i >> 3]! &= ~(1 << (i & 7));
  }
  flush(vector: duckdb.Vector): void {
    if (this.bits === undefined) return;
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.bits.buffer as ArrayBuffer, 0, this.bits.byteLength);
  }
}

// DuckDB's string slot: 4 bytes of length, then up to 12 bytes inline (zero-padded) or a prefix
// and a pointer. Inline strings hold no pointer, so a vector's short strings are built in one
// buffer and copied in one call; only longer ones go through DuckDB's per-string assignment.
let slots = new Uint8Array(16 * 2048);

function fillStrings(
  vector: duckdb.Vector,
  strs: readonly (string | null)[],
  from: number,
  rows: number,
): void {
  if (slots.length < rows * 16) slots = new Uint8Array(rows * 16);
  const buf = Buffer.from(slots.buffer, 0, rows * 16);
  const words = new Int32Array(slots.buffer, 0, rows * 4);
  buf.fill(0);
  const nulls = new Nulls(rows);
  const long: number[] = [];
  let prev: string | null | undefined;
  let prevAt = -1;
  for (let i = 0; i < rows; i++) {
    const v = strs[from + i];
    if (v === null || v === undefined) {
      nulls.set(i);
      continue;
    }
    const at = i * 16;
    if (v === prev && prevAt >= 0) {
      // A repeated value (a unit's actions): copy the slot instead of encoding again.
      const w = at >> 2;
      const pw = prevAt >> 2;
      words[w] = words[pw]!;
      words[w + 1] = words[pw + 1]!;
      words[w + 2] = words[pw + 2]!;
      words[w + 3] = words[pw + 3]!;
      continue;
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit: 4 units always fit in 12 bytes.
    const bytes = v.length <= 4 ? Buffer.byteLength(v) : v.length > 12 ? 13 : Buffer.byteLength(v);
    if (bytes > 12) {
      long.push(i);
      prev = undefined;
      prevAt = -1;
      continue;
    }
    buf.writeUInt32LE(bytes, at);
    buf.write(v, at + 4, bytes, "utf8");
    prev = v;
    prevAt = at;
  }
  duckdb.copy_data_to_vector(vector, 0, slots.buffer as ArrayBuffer, 0, rows * 16);
  for (const i of long) duckdb.vector_assign_string_element(vector, i, strs[from + i]!);
  nulls.flush(vector);
}

function fillVector(
  vector: duckdb.Vector,
  s: ColumnSpec,
  col: ColumnValues,
  from: number,
  rows: number,
): void {
  if (s.type === "double") {
    const x = col as Float64Array;
    const src =
      x instanceof Float64Array
        ? x.subarray(from, from + rows)
        : Float64Array.from(x).subarray(from, from + rows);
    duckdb.copy_data_to_vector(vector, 0, src.buffer as ArrayBuffer, src.byteOffset, rows * 8);
    return;
  }
  if (s.type === "string") {
    fillStrings(vector, col as readonly (string | null)[], from, rows);
    return;
  }
  const codes = col as Int32Array;
  const n = s.levels.length;
  const out = n < 256 ? new Uint8Array(rows) : n < 65536 ? new Uint16Array(rows) : new Uint32Array(rows);
  const nulls = new Nulls(rows);
  for (let i = 0; i < rows; i++) {
    const c = codes[from + i]!;
    if (c >= 0 && c < n) out[i] = c;
    else nulls.set(i);
  }
  duckdb.copy_data_to_vector(vector, 0, out.buffer as ArrayBuffer, 0, out.byteLength);
  nulls.flush(vector);
}

async function writeParquet(
  file: string,
  specs: readonly ColumnSpec[],
  chunks: Chunks,
  count: { rows: number },
): Promise<void> {
  const con = await duckdbConnection();
  const table = `cia_write_${process.pid}_${randomBytes(4).toString("hex")}`;
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const columns = specs.map((s) => `${sqlIdent(s.name)} ${duckdbType(s).toString()}`).join(", ");
  await con.run(`CREATE TABLE ${table} (${columns})`);
  try {
    const appender = await con.createAppender(table);
    const types = specs.map(duckdbType);
    const size = duckdb.vector_size();
    try {
      for await (const chunk of chunks) {
        check(file, specs, chunk);
        for (let from = 0; from < chunk.rows; from += size) {
          const rows = Math.min(size, chunk.rows - from);
          const out = DuckDBDataChunk.create(types, rows);
          specs.forEach((s, j) => {
            fillVector(duckdb.data_chunk_get_vector(out.chunk, j), s, chunk.columns[j]!, from, rows);
          });
          appender.appendDataChunk(out);
        }
        count.rows += chunk.rows;
      }
    } finally {
      appender.closeSync();
    }
    await con.run(`COPY ${table} TO ${sqlString(tmp)} (FORMAT parquet)`);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    await con.run(`DROP TABLE IF EXISTS ${table}`);
  }
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
  if (format === "parquet") await writeParquet(file, specs, chunks, count);
  else await writeFileAtomic(file, csvText(file, specs, chunks, count));
  return { file, format, rows: count.rows };
}
