/**
 * Weighted mean sum(w x) / sum(w); unit weights when `w` is omitted. Uses one pass with
 * compensated sums.
 *
 * @example
 * weightedMean([1, 2, 3], [1, 1, 2]); // 2.25
 */
export function weightedMean(x: ArrayLike<number>, w?: ArrayLike<number>): number {
  if (w && w.length !== x.length) throw new RangeError("weightedMean: x and w lengths differ");
  let sw = 0;
  let cw = 0;
  let sx = 0;
  let cx = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i]! : 1;
    const v = wi * x[i]!;
    let t = sx + v;
    cx += Math.abs(sx) >= Math.abs(v) ? sx - t + v : v - t + sx;
    sx = t;
    t = sw + wi;
    cw += Math.abs(sw) >= Math.abs(wi) ? sw - t + wi : wi - t + sw;
    sw = t;
  }
  return (sx + cx) / (sw + cw);
}

/**
 * Weighted variance. `ddof: 0` (default) is the population variance sum(w (x - m)^2) / sum(w).
 * `ddof: 1` with frequency weights divides by sum(w) - 1 (equal to duplicating rows).
 * Two passes (mean, then centered squares) for accuracy.
 *
 * @example
 * weightedVariance([1, 2, 3, 4]); // 1.25
 * weightedVariance([1, 2, 3, 4], undefined, { ddof: 1 }); // 1.6666...
 */
export function weightedVariance(
  x: ArrayLike<number>,
  w?: ArrayLike<number>,
  options: { ddof?: 0 | 1 } = {},
): number {
  const m = weightedMean(x, w);
  let s = 0;
  let sw = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i]! : 1;
    const d = x[i]! - m;
    s += wi * d * d;
    sw += wi;
  }
  return s / (sw - (options.ddof ?? 0));
}
