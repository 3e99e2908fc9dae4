import { argsort } from "./argsort.js";

// numpy's two-sided lerp: interpolating from the nearer end keeps q(1) exact and monotone.
function lerp(a: number, b: number, t: number): number {
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/**
 * Weighted quantiles. With unit weights this equals numpy's default `quantile` (linear
 * interpolation between order statistics, "type 7"). With weights, each point is placed at the
 * centre of its weight mass, cumulative position (C_i - w_i / 2) / W, and the quantile
 * interpolates linearly between these positions (clamped to the extremes).
 *
 * @example
 * weightedQuantile([1, 2, 3, 4], [0.5]); // Float64Array [2.5]
 * weightedQuantile([1, 2], [0.5], [3, 1]); // Float64Array [1.25]
 */
export function weightedQuantile(
  x: ArrayLike<number>,
  probs: ArrayLike<number>,
  w?: ArrayLike<number>,
): Float64Array {
  const n = x.length;
  const out = new Float64Array(probs.length);
  if (n === 0) return out.fill(Number.NaN);
  const order = argsort(x);
  if (!w) {
    for (let q = 0; q < probs.length; q++) {
      const p = probs[q]!;
      if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
      const h = (n - 1) * p;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, n - 1);
      out[q] = lerp(x[order[lo]!]!, x[order[hi]!]!, h - lo);
    }
    return out;
  }
  if (w.length !== n) throw new RangeError("weightedQuantile: x and w lengths differ");
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i]! >= 0)) throw new RangeError(`weights must be >= 0, got ${w[i]} at ${i}`);
    total += w[i]!;
  }
  const pos = new Float64Array(n);
  let c = 0;
  for (let k = 0; k < n; k++) {
    const wi = w[order[k]!]!;
    pos[k] = (c + wi / 2) / total;
    c += wi;
  }
  for (let q = 0; q < probs.length; q++) {
    const p = probs[q]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
    if (p <= pos[0]!) {
      out[q] = x[order[0]!]!;
      continue;
    }
    if (p >= pos[n - 1]!) {
      out[q] = x[order[n - 1]!]!;
      continue;
    }
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (pos[mid]! <= p) lo = mid;
      else hi = mid;
    }
    const a = x[order[lo]!]!;
    const b = x[order[hi]!]!;
    out[q] = lerp(a, b, (p - pos[lo]!) / (pos[hi]! - pos[lo]!));
  }
  return out;
}
