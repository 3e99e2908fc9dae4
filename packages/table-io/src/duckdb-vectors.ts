// Raw reads of DuckDB column vectors into typed arrays: the bytes DuckDB already holds, copied once,
// with no DuckDBValue per cell. Internal to the package.
import type { Vector } from "@duckdb/node-bindings";
import type { DuckDBDataChunk } from "@duckdb/node-api";
import { duckdb } from "./duckdb-connection.js";

const decoder = new TextDecoder();

/** The vector of column `col` of a chunk. */
export function vectorOf(chunk: DuckDBDataChunk, col: number): Vector {
  return duckdb.data_chunk_get_vector(chunk.chunk, col);
}

/** The validity bits of a vector (bit i of the little-endian words: row i is not null), or null when every row is valid. */
export function validityOf(vector: Vector, rows: number): Uint8Array | null {
  const bytes = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8);
  return bytes && bytes.byteLength > 0 ? bytes : null;
}

/** True when row `i` is not null under `validity` (from {@link validityOf}). */
export function isValid(validity: Uint8Array | null, i: number): boolean {
  return validity === null || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** Copy a DOUBLE vector's `rows` values into `out` at `at`; null rows become NaN. Returns the validity. */
export function readDoubles(vector: Vector, rows: number, out: Float64Array, at: number): Uint8Array | null {
  const data = duckdb.vector_get_data(vector, rows * 8);
  out.set(new Float64Array(data.buffer, data.byteOffset, rows), at);
  const validity = validityOf(vector, rows);
  if (validity !== null) for (let i = 0; i < rows; i++) if (!isValid(validity, i)) out[at + i] = Number.NaN;
  return validity;
}

/** Distinct short strings remembered per call of {@link readStrings}: an action or category column has a few. */
const SHORT_CACHE = 8;

/**
 * Decode a VARCHAR vector's `rows` strings into `out` at `at` (null rows are null). DuckDB keeps a
 * string in a 16-byte slot (length, then up to 12 bytes inline or a prefix and a pointer): a slot
 * equal to the previous one is the same string, so repeated values (a unit's actions) are decoded
 * once per run instead of once per row; and a short (inline) string equal to one of the last few
 * distinct short ones is that string, so a column cycling through a few values (each unit's
 * offers, one row each) is decoded a few times per chunk, not once per row.
 */
export function readStrings(
  vector: Vector,
  rows: number,
  out: (string | null)[],
  at: number,
): Uint8Array | null {
  const data = duckdb.vector_get_data(vector, rows * 16);
  const words = new Int32Array(data.buffer, data.byteOffset, rows * 4);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const validity = validityOf(vector, rows);
  const cacheWords = new Int32Array(SHORT_CACHE * 4);
  const cacheStrings: string[] = [];
  let cacheNext = 0;
  let prev = -1;
  let prevString: string | null = null;
  for (let i = 0; i < rows; i++) {
    if (!isValid(validity, i)) {
      out[at + i] = null;
      continue;
    }
    const w = i * 4;
    const w0 = words[w]!;
    const w1 = words[w + 1]!;
    const w2 = words[w + 2]!;
    const w3 = words[w + 3]!;
    if (
      prev >= 0 &&
      w0 === words[prev] &&
      w1 === words[prev + 1] &&
      w2 === words[prev + 2] &&
      w3 === words[prev + 3]
    ) {
      out[at + i] = prevString;
      continue;
    }
    const len = w0;
    const base = i * 16;
    let s: string | undefined;
    if (len <= 12) {
      // Inline: length and bytes are all in the slot, so equal slots are equal strings (unequal
      // padding could only cost a decode, never give a wrong string).
      for (let c = 0; c < cacheStrings.length; c++) {
        const o = c * 4;
        if (
          cacheWords[o] === w0 &&
          cacheWords[o + 1] === w1 &&
          cacheWords[o + 2] === w2 &&
          cacheWords[o + 3] === w3
        ) {
          s = cacheStrings[c];
          break;
        }
      }
      if (s === undefined) {
        s = bytes.toString("utf8", base + 4, base + 4 + len);
        const o = cacheNext * 4;
        cacheWords[o] = w0;
        cacheWords[o + 1] = w1;
        cacheWords[o + 2] = w2;
        cacheWords[o + 3] = w3;
        cacheStrings[cacheNext] = s;
        cacheNext = (cacheNext + 1) % SHORT_CACHE;
      }
    } else
      s = decoder.decode(
        duckdb.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + base + 8, len),
      );
    out[at + i] = s;
    prev = w;
    prevString = s;
  }
  return validity;
}
