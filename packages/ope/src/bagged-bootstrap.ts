import { percentileInterval } from "@cia/core";
import { numpyMean } from "@cia/core/parity";
import { sampleSd } from "./bootstrap-mean-interval.js";
import type { Estimate } from "./types.js";

/**
 * Constants of the hash behind {@link baggedBootstrap}, shared with the SQL that `@cia/warehouse`
 * emits so that an engine and this process draw the same bags and the same Poisson weights.
 *
 * Every step is integer arithmetic below 2^53 (`mix(h) = (h*h + h*A + C) mod P` with P < 2^26 and
 * A < 2^20), so JavaScript doubles, BIGINT in DuckDB, PostgreSQL, Spark SQL and Trino compute it
 * exactly, with only `*`, `+` and `%` (no XOR, whose spelling differs between engines).
 *
 * @example
 * BAGGED_HASH.modulus; // 67108859, a prime just below 2^26
 */
export const BAGGED_HASH = { modulus: 67108859, multiplier: 1000003, increment: 12345 } as const;

const P = BAGGED_HASH.modulus;
const A = BAGGED_HASH.multiplier;
const C = BAGGED_HASH.increment;

/** One round of the mixing map on [0, P). */
function mix(h: number): number {
  return (h * h + h * A + C) % P;
}

/**
 * The bag of a unit: `mix(mix(unit mod P)) mod bags`. Units are integer keys (any sign, |key| < 2^53);
 * every row of a unit falls in the same bag, so the bootstrap resamples units, not rows.
 *
 * @example
 * bagOf(42, 1000); // an integer in [0, 1000), the same in every engine
 */
export function bagOf(unit: number, bags: number): number {
  const x = ((unit % P) + P) % P;
  return mix(mix(x)) % bags;
}

/**
 * Integer thresholds T_k = round(F(k) * P) of the Poisson(1) CDF F, k = 0, 1, ...: the weight of a
 * hash h in [0, P) is the number of thresholds <= h (inversion of the CDF on u = h / P). The list
 * stops where F(k) rounds to P (P(Poisson(1) > 11) < 1e-9 is below the hash's resolution).
 *
 * @example
 * poissonThresholds()[0]; // round(exp(-1) * P)
 */
export function poissonThresholds(): number[] {
  const out: number[] = [];
  let p = Math.exp(-1);
  let cdf = 0;
  for (let k = 0; k < 40; k++) {
    cdf += p;
    const t = Math.round(cdf * P);
    if (t >= P) break;
    out.push(t);
    p /= k + 1;
  }
  return out;
}

/**
 * The hash of (seed, replicate, bag) in [0, P): `mix(mix((mix((seed + r) mod P) + bag) mod P))`.
 *
 * @example
 * replicateHash(7, 0, 3); // the uniform behind bag 3's weight in replicate 0
 */
export function replicateHash(seed: number, replicate: number, bag: number): number {
  return mix(mix((mix((seed + replicate) % P) + bag) % P));
}

/** Options of {@link baggedBootstrap}. */
export interface BaggedBootstrapOptions {
  /** Number of bags B (default 1000; the warehouse default at scale is 100,000). */
  bags?: number | undefined;
  /** Number of replicates R (default 200). */
  resamples?: number | undefined;
  /** Integer seed in [0, 67108859) (reduced modulo P otherwise); the same seed gives the same weights. */
  seed: number;
  /** Confidence level of the percentile interval (default 0.95). */
  level?: number | undefined;
}

/** Result of {@link baggedBootstrap}: one estimate per column and the replicates behind them. */
export interface BaggedBootstrap {
  readonly bags: number;
  readonly resamples: number;
  /** Per column: full-sample mean, percentile interval of the replicates, se = their sd. */
  readonly estimates: Estimate[];
  /** resamples x m, row-major: the replicate means (replicates whose weights are all zero are dropped). */
  readonly replicates: Float64Array;
  /** Replicates kept (R minus those that drew no unit at all). */
  readonly kept: number;
}

/**
 * Two-stage bagged Poisson bootstrap of column means (Chamandy et al. 2012, "Estimating uncertainty
 * for massive data streams"): stage 1 sums every column per bag (bag = hash(unit) mod B) in one pass;
 * stage 2 draws, per replicate r and bag b, a Poisson(1) weight c_rb from a seeded hash (no random
 * generator state), and the replicate mean of column j is sum_b c_rb S_bj / sum_b c_rb n_b. Whole
 * bags are resampled, so rows of one unit stay together (a cluster bootstrap), and stage 2 costs
 * R x B, not R x n. This is what `@cia/warehouse` runs as SQL; the same seed and bags give the same
 * replicates here and in the engine (to rounding of the sums).
 *
 * Columns are the per-round terms of an estimator (`ips(...).rounds`, `doublyRobust(...).rounds`,
 * SNIPS rounds normalized by the full-sample mean weight), so the replicate of an estimator is the
 * weighted mean of its rounds, as in {@link bootstrapSums}.
 *
 * @example
 * const dr = doublyRobust(inputs);
 * const b = baggedBootstrap([dr.rounds], unitIds, { bags: 1000, resamples: 200, seed: 7 });
 * b.estimates[0]; // { estimate, lower, upper, se }
 */
export function baggedBootstrap(
  columns: readonly Float64Array[],
  units: ArrayLike<number>,
  options: BaggedBootstrapOptions,
): BaggedBootstrap {
  const m = columns.length;
  if (m === 0) throw new RangeError("baggedBootstrap needs at least one column");
  const n = units.length;
  for (const col of columns)
    if (col.length !== n) throw new RangeError("baggedBootstrap: columns and units differ in length");
  if (n === 0) throw new RangeError("baggedBootstrap: no rows");
  const bags = options.bags ?? 1000;
  const resamples = options.resamples ?? 200;
  const level = options.level ?? 0.95;
  if (!(Number.isInteger(bags) && bags >= 1))
    throw new RangeError(`bags must be a positive integer, got ${bags}`);
  if (!(Number.isInteger(resamples) && resamples >= 2))
    throw new RangeError(`resamples must be an integer >= 2, got ${resamples}`);
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer, got ${options.seed}`);
  const bagIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = units[i]!;
    if (!Number.isInteger(u)) throw new RangeError(`unit keys must be integers, got ${u} at row ${i}`);
    bagIndex[i] = bagOf(u, bags);
  }
  const { sums, totals, kept } = baggedSums(columns, bagIndex, { bags, resamples, seed: options.seed });
  const replicates = new Float64Array(kept * m);
  for (let r = 0; r < kept; r++)
    for (let j = 0; j < m; j++) replicates[r * m + j] = sums[r * m + j]! / totals[r]!;
  const means = columns.map((col) => numpyMean(col));
  const estimates = baggedEstimates(means, replicates, level);
  return { bags, resamples, estimates, replicates, kept };
}

/** Replicate sums of {@link baggedSums}: `sums[r * m + j] = sum_b c_rb S_bj`, `totals[r] = sum_b c_rb n_b`. */
export interface BaggedSums {
  readonly m: number;
  /** kept x m, row-major. */
  readonly sums: Float64Array;
  readonly totals: Float64Array;
  /** Replicates kept: R minus those whose weights drew no row at all. */
  readonly kept: number;
}

/**
 * The two stages of {@link baggedBootstrap} on rows whose bags are known (`bagIndex[i]` in
 * [0, bags), e.g. `bagOf(unit, bags)`): stage 1 sums every column per bag in one pass over the rows;
 * stage 2 weights the bag sums by the hashed Poisson(1) counts of each replicate (R x B work, not
 * R x n). The replicate mean of column j is `sums[r * m + j] / totals[r]`; paired differences and
 * ratios of columns use the same weights, as in `bootstrapSums`.
 *
 * @example
 * const bag = Int32Array.from({ length: n }, (_, i) => bagOf(i, 1000));
 * const s = baggedSums([rounds], bag, { bags: 1000, resamples: 200, seed: 7 });
 * s.sums[0] / s.totals[0]; // the first replicate's mean
 */
export function baggedSums(
  columns: readonly Float64Array[],
  bagIndex: Int32Array,
  options: { bags: number; resamples: number; seed: number },
): BaggedSums {
  const m = columns.length;
  const n = bagIndex.length;
  const { bags, resamples } = options;
  const seed = ((options.seed % P) + P) % P;
  // Stage 1: one pass, per-bag counts and column sums (column by column: sequential reads).
  const count = new Float64Array(bags);
  const sums = new Float64Array(bags * m);
  for (let i = 0; i < n; i++) count[bagIndex[i]!]!++;
  for (let j = 0; j < m; j++) {
    const col = columns[j]!;
    for (let i = 0; i < n; i++) sums[bagIndex[i]! * m + j]! += col[i]!;
  }
  // Stage 2: R x B hashed Poisson weights.
  const thresholds = poissonThresholds();
  const nt = thresholds.length;
  const out = new Float64Array(resamples * m);
  const totals = new Float64Array(resamples);
  const acc = new Float64Array(m);
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    acc.fill(0);
    let total = 0;
    for (let b = 0; b < bags; b++) {
      if (count[b] === 0) continue;
      const h = replicateHash(seed, r, b);
      let c = 0;
      while (c < nt && h >= thresholds[c]!) c++;
      if (c === 0) continue;
      total += c * count[b]!;
      for (let j = 0; j < m; j++) acc[j]! += c * sums[b * m + j]!;
    }
    if (total === 0) continue;
    out.set(acc, kept * m);
    totals[kept] = total;
    kept++;
  }
  return { m, sums: out.subarray(0, kept * m), totals: totals.subarray(0, kept), kept };
}

/**
 * Estimates from full-sample means and replicate means (resamples x m, row-major): the percentile
 * interval at `level` and the replicates' standard deviation as `se`. The last step of
 * {@link baggedBootstrap}, shared with engines that compute the replicates as SQL.
 *
 * @example
 * baggedEstimates([0.5], Float64Array.of(0.4, 0.6, 0.5), 0.9)[0]; // { estimate: 0.5, lower, upper, se }
 */
export function baggedEstimates(
  means: readonly number[],
  replicates: Float64Array,
  level = 0.95,
): Estimate[] {
  const m = means.length;
  const kept = m === 0 ? 0 : Math.floor(replicates.length / m);
  const rep = new Float64Array(kept);
  const out: Estimate[] = [];
  for (let j = 0; j < m; j++) {
    for (let r = 0; r < kept; r++) rep[r] = replicates[r * m + j]!;
    const { lower, upper } = percentileInterval(rep, level);
    out.push({ estimate: means[j]!, lower, upper, se: sampleSd(rep) });
  }
  return out;
}
