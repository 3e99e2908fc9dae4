import { numpyMean } from "@cia/core/parity";

/** Diagnostics of the importance weights of one target policy on one log. */
export interface WeightDiagnostics {
  readonly n: number;
  /** Kish's effective sample size (sum w)^2 / sum w^2: how many rounds the estimate rests on. */
  readonly effectiveSampleSize: number;
  /** effectiveSampleSize / n. */
  readonly effectiveSampleShare: number;
  /** Mean weight, the SNIPS denominator; its expectation is 1 when propensities are right and the target has support. */
  readonly meanWeight: number;
  readonly maxWeight: number;
  /** Weight quantiles (numpy's linear rule) at `probs`. */
  readonly quantiles: { readonly probs: readonly number[]; readonly values: readonly number[] };
  /** Share of rounds where the target puts positive mass on the logged action (w_i > 0). */
  readonly matchShare: number;
  /** Share of rounds with w_i above `clip` (when given) and above the Switch-DR `tau` (when given). */
  readonly clippedShare?: number | undefined;
  readonly switchedShare?: number | undefined;
}

const DEFAULT_PROBS = [0.5, 0.9, 0.99, 0.999];

/**
 * Weight diagnostics from unclipped importance weights: effective sample size, mean (the SNIPS
 * denominator), maximum and quantiles, the share of rounds the target agrees with, and the shares
 * that clipping at `clip` or switching at `tau` would touch. A small ESS or a mean far from 1
 * flags an estimate that rests on a few rounds.
 *
 * @example
 * const d = weightDiagnostics(importanceWeights(inputs), { clip: 50 });
 * d.effectiveSampleSize; d.maxWeight; d.quantiles.values;
 */
export function weightDiagnostics(
  weights: Float64Array,
  options: {
    probs?: readonly number[] | undefined;
    clip?: number | undefined;
    tau?: number | undefined;
  } = {},
): WeightDiagnostics {
  const n = weights.length;
  const probs = options.probs ?? DEFAULT_PROBS;
  let s = 0;
  let s2 = 0;
  let max = Number.NEGATIVE_INFINITY;
  let matched = 0;
  let clipped = 0;
  let switched = 0;
  const clip = options.clip ?? Number.POSITIVE_INFINITY;
  const tau = options.tau ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    s += w;
    s2 += w * w;
    if (w > max) max = w;
    if (w > 0) matched++;
    if (w > clip) clipped++;
    if (w > tau) switched++;
  }
  const ess = s2 > 0 ? (s * s) / s2 : 0;
  // Typed-array sort is numeric and native: much faster than an index sort for 1M weights.
  const sorted = Float64Array.from(weights).sort();
  const values = probs.map((p) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  });
  return {
    n,
    effectiveSampleSize: ess,
    effectiveSampleShare: n > 0 ? ess / n : 0,
    meanWeight: numpyMean(weights),
    maxWeight: max,
    quantiles: { probs: [...probs], values },
    matchShare: n > 0 ? matched / n : 0,
    clippedShare: options.clip !== undefined ? clipped / n : undefined,
    switchedShare: options.tau !== undefined ? switched / n : undefined,
  };
}
