/**
 * Rows `rows` of a row-major n x k matrix, in the given order, as a new rows.length x k matrix
 * (a bootstrap resample, a fold, a holdout of per-(unit, action) arrays).
 *
 * @example
 * gatherRows(Float64Array.of(1, 2, 3, 4, 5, 6), Int32Array.of(2, 0), 2); // [5, 6, 1, 2]
 */
export function gatherRows(m: Float64Array, rows: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(rows.length * k);
  for (let j = 0; j < rows.length; j++) out.set(m.subarray(rows[j]! * k, rows[j]! * k + k), j * k);
  return out;
}
