import type { Rng } from "./rng.js";
import { weightedQuantile } from "./weighted-quantile.js";

/** A point estimate with a two-sided interval. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * The percentile interval of bootstrap replicates at a confidence `level` (default 0.95), with
 * numpy's default (linear) quantiles: [q(alpha/2), q(1 - alpha/2)].
 *
 * @example
 * percentileInterval(replicates, 0.9); // { lower, upper }
 */
export function percentileInterval(
  replicates: ArrayLike<number>,
  level = 0.95,
): { lower: number; upper: number } {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const alpha = 1 - level;
  const q = weightedQuantile(replicates, [alpha / 2, 1 - alpha / 2]);
  return { lower: q[0]!, upper: q[1]! };
}

/**
 * Percentile bootstrap: draws `resamples` index sets of size n with `rng`, evaluates
 * `statistic(indices)` on each, and returns the full-sample estimate, the interval and the
 * replicates. The statistic receives indices (not copies) so it can read any number of columns.
 *
 * @example
 * const r = bootstrapInterval(y.length, (idx) => meanAt(y, idx), { resamples: 1000, rng: createRng(1) });
 * r.lower <= r.estimate && r.estimate <= r.upper;
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: { resamples?: number; level?: number; rng: Rng },
): Interval & { replicates: Float64Array } {
  const resamples = options.resamples ?? 1000;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimate = statistic(all);
  const replicates = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) replicates[b] = statistic(options.rng.bootstrapIndices(n));
  const { lower, upper } = percentileInterval(replicates, options.level ?? 0.95);
  return { estimate, lower, upper, replicates };
}
