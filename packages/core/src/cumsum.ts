/**
 * Cumulative sums into a new Float64Array (compensated, so long curves do not drift).
 *
 * @example
 * cumsum([1, 2, 3]); // Float64Array [1, 3, 6]
 */
export function cumsum(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
    out[i] = s + c;
  }
  return out;
}
