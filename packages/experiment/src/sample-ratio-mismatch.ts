import { CiaError } from "@cia/core";
import { chiSquareSf } from "./chi-square.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Result of a sample-ratio-mismatch check. */
export interface SampleRatioMismatch {
  readonly chiSquare: number;
  /** Degrees of freedom: cells with positive expected count, minus 1. */
  readonly df: number;
  readonly pValue: number;
  readonly threshold: number;
  /** True when pValue < threshold: the split is not what the design says; do not read the results. */
  readonly mismatch: boolean;
  readonly observed: Float64Array;
  readonly expected: Float64Array;
  /** Per-cell (observed - expected) / sqrt(expected), to see which arm is off. */
  readonly residuals: Float64Array;
}

/**
 * Count logged actions per arm (rows with action < 0 are skipped).
 *
 * @example
 * countActions(Int32Array.from([0, 1, 1, -1]), 2); // Float64Array [1, 2]
 */
export function countActions(action: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < action.length; i++) {
    const a = action[i]!;
    if (a >= 0 && a < k) out[a]!++;
  }
  return out;
}

/**
 * Expected arm counts under a design: the column sums of the per-unit action distributions
 * (n x K), over the rows in `mask` (e.g. assigned units only).
 *
 * @example
 * expectedActionCounts(assignment.probabilities, assignment.k, assignedMask);
 */
export function expectedActionCounts(
  probabilities: ArrayLike<number>,
  k: number,
  mask?: ArrayLike<number>,
): Float64Array {
  const n = probabilities.length / k;
  if (!Number.isInteger(n))
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `probabilities length ${probabilities.length} is not n x ${k}`,
    );
  const out = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    for (let a = 0; a < k; a++) out[a]! += probabilities[i * k + a]!;
  }
  return out;
}

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness of fit of the observed arm counts
 * against the design's expected counts (`expected` counts, or `shares` scaled to the observed
 * total), p-value from the chi-square survival function with (cells - 1) degrees of freedom.
 *
 * Conventional threshold 0.001: an SRM test runs on every experiment, so a strict level keeps false
 * alarms rare, while a broken split (a lost arm, a bot filter on one arm) gives p far below it at
 * realistic sizes. With per-unit probabilities that differ across units, counts are
 * Poisson-binomial with variance below the multinomial's, so the test is slightly conservative.
 *
 * @example
 * const srm = sampleRatioMismatch({ observed: [5120, 4880], shares: [0.5, 0.5] });
 * srm.pValue; // 0.0164: no alarm at 0.001
 */
export function sampleRatioMismatch(options: {
  observed: ArrayLike<number>;
  expected?: ArrayLike<number> | undefined;
  shares?: ArrayLike<number> | undefined;
  threshold?: number | undefined;
}): SampleRatioMismatch {
  const observed = Float64Array.from(options.observed);
  const k = observed.length;
  const threshold = options.threshold ?? 0.001;
  let total = 0;
  for (let a = 0; a < k; a++) {
    const o = observed[a]!;
    if (!(o >= 0 && Number.isFinite(o)))
      throw new CiaError<ExperimentErrorCode>("invalid_option", `observed count ${a} is ${o}`);
    total += o;
  }
  let expected: Float64Array;
  if (options.expected) {
    expected = Float64Array.from(options.expected);
  } else if (options.shares) {
    const s = Float64Array.from(options.shares);
    let st = 0;
    for (const v of s) st += v;
    expected = s.map((v) => (v / st) * total);
  } else {
    throw new CiaError<ExperimentErrorCode>("invalid_option", "give expected counts or shares");
  }
  if (expected.length !== k)
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `${expected.length} expected cells for ${k} observed`,
    );
  let chi = 0;
  let cells = 0;
  const residuals = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const e = expected[a]!;
    const o = observed[a]!;
    if (!(e >= 0)) throw new CiaError<ExperimentErrorCode>("invalid_option", `expected count ${a} is ${e}`);
    if (e === 0) {
      // An arm the design never assigns but which received units is a mismatch by definition.
      residuals[a] = o > 0 ? Number.POSITIVE_INFINITY : 0;
      if (o > 0) chi = Number.POSITIVE_INFINITY;
      continue;
    }
    cells++;
    const d = o - e;
    residuals[a] = d / Math.sqrt(e);
    chi += (d * d) / e;
  }
  const df = Math.max(1, cells - 1);
  const pValue = chi === Number.POSITIVE_INFINITY ? 0 : chiSquareSf(chi, df);
  return {
    chiSquare: chi,
    df,
    pValue,
    threshold,
    mismatch: pValue < threshold,
    observed,
    expected,
    residuals,
  };
}
