/**
 * Dot product of two equal-length vectors, compensated like `sum`.
 *
 * @example
 * dot(new Float64Array([1, 2]), new Float64Array([3, 4])); // 11
 */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`dot: lengths differ (${x.length} vs ${y.length})`);
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! * y[i]!;
    const t = s + v;
    if (Math.abs(s) >= Math.abs(v)) c += s - t + v;
    else c += v - t + s;
    s = t;
  }
  return s + c;
}
