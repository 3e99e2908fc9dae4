// Internal to the package.

/**
 * The rows a plain CSV of `size` bytes probably has, from the lines of its first block
 * `buf[start, end)` (2% over, so a file of even rows needs no growth): columns sized once, before
 * the first row.
 *
 * @example
 * const cap = estimateRows(blocks.buf, blocks.start, blocks.end, blocks.size);
 */
export function estimateRows(buf: Uint8Array, start: number, end: number, size: number): number {
  let lines = 0;
  for (let p = buf.indexOf(10, start); p >= 0 && p < end; p = buf.indexOf(10, p + 1)) lines++;
  const perRow = lines > 0 ? Math.max(1, (end - start) / lines) : 64;
  return Math.ceil((size / perRow) * 1.02) + 16;
}

/**
 * A typed array `a` copied into a longer one of `cap` elements (the rows outgrew the estimate).
 *
 * @example
 * values = grown(values, 2 * values.length);
 */
export function grown<T extends Int32Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
