// Writing columns to Parquet through embedded DuckDB: loaded only when a Parquet file is written, so
// a CSV-only command never loads DuckDB's native library. Internal to the package.
import type { Vector } from "@duckdb/node-bindings";
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DOUBLE, DuckDBDataChunk, type DuckDBType, ENUM, VARCHAR } from "@duckdb/node-api";
import { type Chunks, check } from "./column-chunks.js";
import { duckdb, duckdbConnection, sqlIdent, sqlString } from "./duckdb-connection.js";
import type { ColumnSpec, ColumnValues } from "./table-columns.js";

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
  flush(vector: Vector): void {
    if (this.bits === undefined) return;
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.bits.buffer as ArrayBuffer, 0, this.bits.byteLength);
  }
}

// DuckDB's string slot: 4 bytes of length, then up to 12 bytes inline (zero-padded) or a prefix
// and a pointer. Inline strings hold no pointer, so a vector's short strings are built in one
// buffer and copied in one call; only longer ones go through DuckDB's per-string assignment.
let slots = new Uint8Array(16 * 2048);

function fillStrings(vector: Vector, strs: readonly (string | null)[], from: number, rows: number): void {
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
    // An ASCII string of at most 12 units (an id) is its bytes: copied by hand, since the
    // encoder's calls into C++ cost more than a few bytes.
    const len = v.length;
    let ascii = len <= 12;
    for (let k = 0; ascii && k < len; k++) {
      const c = v.charCodeAt(k);
      if (c >= 128) ascii = false;
      else slots[at + 4 + k] = c;
    }
    if (ascii) {
      words[at >> 2] = len;
      prev = v;
      prevAt = at;
      continue;
    }
    // Partly written bytes of a non-ASCII string are rewritten (or cleared) below.
    slots.fill(0, at + 4, at + 16);
    // UTF-8 needs at most 3 bytes per UTF-16 unit: 4 units always fit in 12 bytes.
    const bytes = len <= 4 ? Buffer.byteLength(v) : len > 12 ? 13 : Buffer.byteLength(v);
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

function fillVector(vector: Vector, s: ColumnSpec, col: ColumnValues, from: number, rows: number): void {
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

/**
 * The chunks written to `file` as Parquet (atomically: a temporary file renamed over it), counting
 * the rows into `count`; see `writeTableColumns`.
 *
 * @example
 * await writeParquet("a.parquet", specs, [{ rows: 2, columns }], { rows: 0 });
 */
export async function writeParquet(
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
