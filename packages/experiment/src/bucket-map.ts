import { CiaError } from "@cia/core";
import { BUCKET_COUNT } from "./assignment-hash.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * An action distribution quantized to the 2^32 hash buckets: action `a` owns the buckets
 * `[thresholds[a-1], thresholds[a])` (with `thresholds[-1] = 0`), so its realized assignment
 * probability over a uniform bucket is exactly `probabilities[a] = width / 2^32`.
 */
export interface BucketMap {
  /** Cumulative bucket boundaries, length K, last = 2^32 (exact integers stored as doubles). */
  readonly thresholds: Float64Array;
  /** Exact realized probabilities (dyadic rationals; they sum to exactly 1). */
  readonly probabilities: Float64Array;
}

/**
 * Quantize an action distribution to bucket boundaries: threshold_a = round(2^32 * cumsum_a).
 * Each probability moves by less than 2^-32; the returned probabilities are what the hash really
 * realizes, and they are what gets logged as propensities. Probabilities must be >= 0 and sum to
 * 1 within 1e-9; a positive probability too small to own one bucket is refused.
 *
 * @example
 * const m = bucketMap([0.5, 0.25, 0.25]); // thresholds [2^31, 3 * 2^30, 2^32]
 */
export function bucketMap(probabilities: ArrayLike<number>, out?: BucketMap): BucketMap {
  const k = probabilities.length;
  const thresholds = out?.thresholds ?? new Float64Array(k);
  const exact = out?.probabilities ?? new Float64Array(k);
  fillBucketMap(probabilities, 0, k, thresholds, exact);
  return { thresholds, probabilities: exact };
}

/**
 * `bucketMap` of the row `probabilities[offset .. offset + k)`, written into `thresholds` and
 * `exact` (no allocation: the assignment loop calls this once per unit).
 */
export function fillBucketMap(
  probabilities: ArrayLike<number>,
  offset: number,
  k: number,
  thresholds: Float64Array,
  exact: Float64Array,
): void {
  let total = 0;
  for (let a = 0; a < k; a++) {
    const p = probabilities[offset + a]!;
    if (!(p >= 0 && p <= 1)) {
      throw new CiaError<ExperimentErrorCode>(
        "invalid_probability",
        `action probability ${a} is ${p}, not in [0, 1]`,
        {
          action: a,
          p,
        },
      );
    }
    total += p;
  }
  if (!(Math.abs(total - 1) <= 1e-9)) {
    throw new CiaError<ExperimentErrorCode>(
      "probabilities_do_not_sum_to_one",
      `action probabilities sum to ${total}`,
      { total },
    );
  }
  let cum = 0;
  let prev = 0;
  for (let a = 0; a < k; a++) {
    const p = probabilities[offset + a]!;
    cum += p;
    const t = a === k - 1 ? BUCKET_COUNT : Math.min(BUCKET_COUNT, Math.round((cum / total) * BUCKET_COUNT));
    const width = Math.max(0, t - prev);
    if (p > 0 && width === 0) {
      throw new CiaError<ExperimentErrorCode>(
        "probability_below_resolution",
        `action ${a} has probability ${p} < 2^-32`,
        {
          action: a,
          p,
        },
      );
    }
    thresholds[a] = prev + width;
    exact[a] = width / BUCKET_COUNT;
    prev += width;
  }
}

/**
 * The action owning `bucket` under thresholds (linear scan: K is small).
 *
 * @example
 * actionForBucket(bucketMap([0.5, 0.5]).thresholds, 2 ** 31); // 1
 */
export function actionForBucket(thresholds: ArrayLike<number>, bucket: number): number {
  const k = thresholds.length;
  for (let a = 0; a < k; a++) if (bucket < thresholds[a]!) return a;
  return k - 1;
}
