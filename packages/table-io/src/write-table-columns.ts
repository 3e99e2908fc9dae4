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
 * The longest text `String(x)` gives for a double: 25 characters, as in
 * `-0.0000012345678901234567` (fixed notation down to 1e-6 with 17 significant digits; the
 * exponent form is at most 24, as in `-2.2250738585072014e-308`).
 */
const NUMBER_ROOM = 25;
/** Column kinds of `csvText`'s loop. */
const DOUBLE = 0;
const CATEGORY = 1;
const TEXT = 2;
const EMPTY_NUMBERS = new Float64Array(0);
const EMPTY_CODES = new Int32Array(0);
const EMPTY_TEXTS: readonly (string | null)[] = [];

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

/**
 * A text cell `s` at `buf[n]`, as `putText(buf, n, csvCell(s))` writes it (room for 3 bytes per
 * UTF-16 unit plus 2); the end. A cell of printable ASCII with no comma or quote, not starting or
 * ending with a space, is copied as it is in the same pass that checks it: no regular expression
 * and no second string per cell (a table of unit ids has one distinct id per unit).
 */
function putCell(buf: Buffer, n: number, s: string): number {
  const len = s.length;
  if (len > 0 && s.charCodeAt(0) !== 32 && s.charCodeAt(len - 1) !== 32) {
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      // 34 and 44 are the quote and the comma; below 32 are CR and LF; 128 and up, any BOM.
      if (c < 32 || c >= 128 || c === 34 || c === 44) break;
      buf[n + i] = c;
    }
    if (i === len) return n + len;
  }
  return putText(buf, n, csvCell(s));
}

/** `bytes` at `buf[n]` (a few, so by hand: `Buffer#copy`'s call costs more); the end. */
function putBytes(buf: Buffer, n: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[n + i] = bytes[i]!;
  return n + bytes.length;
}

/** What {@link fillRows} needs of a chunk: each column's values under its kind (the others empty). */
interface RowSource {
  kinds: Int32Array;
  levels: (Buffer[] | undefined)[];
  widest: number[];
  numbers: Float64Array[];
  codes: Int32Array[];
  texts: (readonly (string | null)[])[];
}

/**
 * Bytes row `i` of `src` may take: a category's widest level, a number's longest text, 3 bytes per
 * UTF-16 unit of a text cell plus its quotes; a comma or newline after each.
 */
function rowRoom(src: RowSource, i: number): number {
  const { kinds, widest, texts } = src;
  let need = kinds.length;
  for (let j = 0; j < kinds.length; j++) {
    const kind = kinds[j]!;
    if (kind === TEXT) need += 3 * (texts[j]![i]?.length ?? 0) + 2;
    else need += kind === DOUBLE ? NUMBER_ROOM : widest[j]!;
  }
  return need;
}

/**
 * Rows `i, i + 1, ..., rows - 1` of `src` as CSV text into `buf` from byte `n` on, until the next
 * row might not fit: returns the row it stopped at; `at.n` is where the text ends. A plain loop
 * outside the generator, so it is compiled as one.
 */
function fillRows(buf: Buffer, at: { n: number }, src: RowSource, i: number, rows: number): number {
  const { kinds, levels, numbers, codes, texts } = src;
  const width = kinds.length;
  let n = at.n;
  for (; i < rows; i++) {
    if (n + rowRoom(src, i) > buf.length) break;
    for (let j = 0; j < width; j++) {
      const kind = kinds[j]!;
      if (kind === CATEGORY) {
        const level = levels[j]![codes[j]![i]!];
        if (level !== undefined) n = putBytes(buf, n, level);
      } else if (kind === TEXT) {
        const v = texts[j]![i];
        if (v !== null && v !== undefined) n = putCell(buf, n, v);
      } else n = putText(buf, n, String(numbers[j]![i]));
      buf[n++] = j === width - 1 ? 10 : 44;
    }
  }
  at.n = n;
  return i;
}

async function* csvText(
  file: string,
  specs: readonly ColumnSpec[],
  chunks: Chunks,
  count: { rows: number },
): AsyncGenerator<Uint8Array> {
  yield Buffer.from(`${specs.map((s) => csvCell(s.name)).join(",")}\n`, "utf8");
  // Category levels are quoted and encoded once, not once per row.
  const levels = specs.map((s) =>
    s.type === "category" ? s.levels.map((l) => Buffer.from(csvCell(l), "utf8")) : undefined,
  );
  const widest = levels.map((ls) => (ls === undefined ? 0 : Math.max(0, ...ls.map((l) => l.length))));
  // Each column's kind as a small integer, so the per-cell dispatch is one comparison.
  const kinds = Int32Array.from(specs, (s) =>
    s.type === "double" ? DOUBLE : s.type === "category" ? CATEGORY : TEXT,
  );
  // A fresh block after each yield: the stream may still hold the one before.
  let buf = Buffer.allocUnsafe(CSV_BLOCK);
  const at = { n: 0 };
  for await (const chunk of chunks) {
    check(file, specs, chunk);
    const cols = chunk.columns;
    const src: RowSource = {
      kinds,
      levels,
      widest,
      numbers: cols.map((c, j) => (kinds[j] === DOUBLE ? (c as Float64Array) : EMPTY_NUMBERS)),
      codes: cols.map((c, j) => (kinds[j] === CATEGORY ? (c as Int32Array) : EMPTY_CODES)),
      texts: cols.map((c, j) => (kinds[j] === TEXT ? (c as readonly (string | null)[]) : EMPTY_TEXTS)),
    };
    let i = 0;
    for (;;) {
      i = fillRows(buf, at, src, i, chunk.rows);
      if (i === chunk.rows) break;
      // The next row does not fit: this block goes, a fresh one (big enough for any row) comes.
      if (at.n > 0) yield buf.subarray(0, at.n);
      buf = Buffer.allocUnsafe(Math.max(CSV_BLOCK, rowRoom(src, i)));
      at.n = 0;
    }
    count.rows += chunk.rows;
  }
  if (at.n > 0) yield buf.subarray(0, at.n);
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
