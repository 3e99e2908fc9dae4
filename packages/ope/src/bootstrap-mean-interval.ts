import { createRng, percentileInterval } from "@cia/core";
import type { Rng, Seed } from "@cia/core";
import { numpyMean } from "@cia/core/parity";
import { bootstrapSums } from "./bootstrap-sums.js";
import type { BootstrapScheme } from "./bootstrap-sums.js";
import type { Estimate } from "./types.js";

/** Options of a percentile bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  readonly resamples?: number | undefined;
  /** Confidence level (default 0.95). */
  readonly level?: number | undefined;
  /** "multinomial" (default, the classic bootstrap, as OBP) or "poisson" (Poisson(1) weights). */
  readonly scheme?: BootstrapScheme | undefined;
  /** A generator, or a seed for one (default seed 0). The same seed gives the same interval. */
  readonly rng?: Rng | undefined;
  readonly seed?: Seed | undefined;
}

/** Resolve the generator of a bootstrap from `rng` or `seed`. */
export function bootstrapRng(options: { rng?: Rng | undefined; seed?: Seed | undefined }): Rng {
  return options.rng ?? createRng(options.seed ?? 0);
}

/**
 * Percentile bootstrap interval of the mean of per-round contributions, as OBP's
 * `estimate_confidence_interval_by_bootstrap` does: resample rounds with replacement, take the
 * mean of each resample, report the alpha/2 and 1 - alpha/2 quantiles (numpy's linear rule).
 * The per-round values are computed once, so a resample costs one pass of counts over the rows.
 * `estimate` is the full-sample mean; `se` the standard deviation of the replicates.
 *
 * @example
 * const dr = doublyRobust(inputs);
 * const ci = bootstrapMeanInterval(dr.rounds, { resamples: 1000, seed: 7 }); // { estimate, lower, upper, se }
 */
export function bootstrapMeanInterval(
  rounds: Float64Array,
  options: BootstrapOptions = {},
): Estimate & { replicates: Float64Array } {
  const boot = bootstrapSums([rounds], {
    resamples: options.resamples,
    scheme: options.scheme,
    rng: bootstrapRng(options),
  });
  const replicates = new Float64Array(boot.resamples);
  for (let b = 0; b < boot.resamples; b++) replicates[b] = boot.sums[b]! / boot.totals[b]!;
  const { lower, upper } = percentileInterval(replicates, options.level ?? 0.95);
  return { estimate: numpyMean(rounds), lower, upper, se: sampleSd(replicates), replicates };
}

/** Sample standard deviation (ddof = 1), two passes. */
export function sampleSd(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / (n - 1));
}
