import { normalQuantile } from "@cia/core";
import { numpyMean } from "@cia/core/parity";
import type { Estimate } from "./types.js";

/**
 * Normal-approximation (Wald) interval of the mean of per-round contributions:
 * mean +- z_{1-alpha/2} * sd(rounds, ddof=1) / sqrt(n). Valid for large n when no single round
 * dominates (check the weight diagnostics); cheap enough for repeated-simulation studies.
 *
 * @example
 * const ci = normalMeanInterval(ips(inputs).rounds, { level: 0.95 }); // { estimate, lower, upper, se }
 */
export function normalMeanInterval(
  rounds: Float64Array,
  options: { level?: number | undefined } = {},
): Estimate {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const estimate = numpyMean(rounds);
  const se = meanStandardError(rounds, estimate);
  const z = normalQuantile(1 - (1 - level) / 2);
  return { estimate, lower: estimate - z * se, upper: estimate + z * se, se };
}

/**
 * Standard error of a sample mean, sd(x, ddof=1) / sqrt(n), given the mean (two passes); NaN for
 * fewer than two values.
 *
 * @example
 * meanStandardError(Float64Array.of(1, 2, 3), 2); // sqrt(1 / 3)
 */
export function meanStandardError(x: Float64Array, mean: number): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i]! - mean) ** 2;
  return n > 1 ? Math.sqrt(s / (n - 1) / n) : Number.NaN;
}
