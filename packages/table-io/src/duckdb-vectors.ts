// Raw reads of DuckDB column vectors into typed arrays: the bytes DuckDB already holds, copied once,
// with no DuckDBValue per cell. Internal to the package.
import type { DuckDBDataChunk } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";

const decoder = new TextDecoder();

/** The vector of column `col` of a chunk. */
export function vectorOf(chunk: DuckDBDataChunk, col: number): duckdb.Vector {
  return duckdb.data_chunk_get_vector(chunk.chunk, col);
}

/** The validity bits of a vector (bit i of the little-endian words: row i is not null), or null when every row is valid. */
export function validityOf(vector: duckdb.Vector, rows: number): Uint8Array | null {
  const bytes = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8);
  return bytes && bytes.byteLength > 0 ? bytes : null;
}

/** True when row `i` is not null under `validity` (from {@link validityOf}). */
export function isValid(validity: Uint8Array | null, i: number): boolean {
  return validity === null || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** Copy a DOUBLE vector's `rows` values into `out` at `at`; null rows become NaN. Returns the validity. */
export function readDoubles(
  vector: duckdb.Vector,
  rows: number,
  out: Float64Array,
  at: number,
): Uint8Array | null {
  const data = duckdb.vector_get_data(vector, rows * 8);
  out.set(new Float64Array(data.buffer, data.byteOffset, rows), at);
  const validity = validityOf(vector, rows);
  if (validity !== null) for (let i = 0; i < rows; i++) if (!isValid(validity, i)) out[at + i] = Number.NaN;
  return validity;
}

/**
 * Decode a VARCHAR vector's `rows` strings into `out` at `at` (null rows are null). DuckDB keeps a
 * string in a 16-byte slot (length, then up to 12 bytes inline or a prefix and a pointer): a slot
 * equal to the previous one is the same string, so repeated values (a unit's actions, a category
 * column) are decoded once per run instead of once per row.
 */
export function readStrings(
  vector: duckdb.Vector,
  rows: number,
  out: (string | null)[],
  at: number,
): Uint8Array | null {
  const data = duckdb.vector_get_data(vector, rows * 16);
  const words = new Int32Array(data.buffer, data.byteOffset, rows * 4);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const validity = validityOf(vector, rows);
  let prev = -1;
  let prevString: string | null = null;
  for (let i = 0; i < rows; i++) {
    if (!isValid(validity, i)) {
      out[at + i] = null;
      continue;
    }
    const w = i * 4;
    if (
      prev >= 0 &&
      words[w] === words[prev] &&
      words[w + 1] === words[prev + 1] &&
      words[w + 2] === words[prev + 2] &&
      words[w + 3] === words[prev + 3]
    ) {
      out[at + i] = prevString;
      continue;
    }
    const len = words[w]!;
    const base = i * 16;
    const s =
      len <= 12
        ? bytes.toString("utf8", base + 4, base + 4 + len)
        : decoder.decode(
            duckdb.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + base + 8, len),
          );
    out[at + i] = s;
    prev = w;
    prevString = s;
  }
  return validity;
}
