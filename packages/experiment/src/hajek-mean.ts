import { CiaError, type Interval, normalQuantile } from "@cia/core";
import { checkPropensity } from "./check-inputs.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** A Hajek (self-normalized IPW) mean with its linearization standard error. */
export interface HajekEstimate extends Interval {
  readonly se: number;
  readonly level: number;
  /** Rows used. */
  readonly n: number;
  /** Sum of the weights (for the whole-sample mean, about n * K for K actions). */
  readonly sumWeights: number;
  /** Kish effective sample size (sum w)^2 / sum w^2. */
  readonly effectiveSampleSize: number;
}

/**
 * The Hajek IPW mean of the methodology,
 *
 *   Ybar = sum_i (Y_i / pi_i(W_i)) / sum_i (1 / pi_i(W_i)),
 *
 * over the rows in `mask` (default: all rows with a propensity), with weights multiplied by
 * `target[i]` when given (target[i] = pi_e(W_i | X_i) gives the self-normalized value of a policy
 * pi_e). Standard error by linearization (the influence function of a ratio estimator):
 * se^2 = sum_i w_i^2 (Y_i - Ybar)^2 / (sum_i w_i)^2, with a normal interval at `level`.
 *
 * What it estimates: over all rows, sum_i 1{W_i = a} / pi_i(a) has expectation 1 for every unit
 * and action, so Ybar estimates the mean over actions (equal weight each) of the population means
 * E[Y(a)]: the mean outcome a uniform design would have produced. Restricted to the rows with
 * W = a (mask), it estimates E[Y(a)]. Rows with action < 0 (not assigned) are skipped through the
 * propensity being NaN or via `mask`.
 *
 * @example
 * const m = hajekMean(value, propensity); // { estimate, se, lower, upper, ... }
 * const armMean = hajekMean(value, propensity, { mask: action.map((a) => (a === 2 ? 1 : 0)) });
 */
export function hajekMean(
  outcome: ArrayLike<number>,
  propensity: ArrayLike<number>,
  options: {
    mask?: ArrayLike<number> | undefined;
    target?: ArrayLike<number> | undefined;
    level?: number | undefined;
  } = {},
): HajekEstimate {
  const n = outcome.length;
  if (propensity.length !== n)
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `propensity has ${propensity.length} rows, outcome ${n}`,
    );
  const { mask, target } = options;
  if (mask && mask.length !== n)
    throw new CiaError<ExperimentErrorCode>("shape_mismatch", `mask has ${mask.length} rows, outcome ${n}`);
  if (target && target.length !== n)
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `target has ${target.length} rows, outcome ${n}`,
    );
  const level = options.level ?? 0.95;
  let sw = 0;
  let swy = 0;
  let sw2 = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const p = propensity[i]!;
    if (Number.isNaN(p) && !mask) continue;
    checkPropensity(p, i);
    const y = outcome[i]!;
    if (!Number.isFinite(y))
      throw new CiaError<ExperimentErrorCode>("invalid_outcome", `row ${i}: outcome ${y} is not finite`, {
        row: i,
      });
    const w = (target ? target[i]! : 1) / p;
    sw += w;
    swy += w * y;
    sw2 += w * w;
    used++;
  }
  if (!(sw > 0)) {
    throw new CiaError<ExperimentErrorCode>(
      "insufficient_support",
      "no rows with positive weight: the mean is undefined",
      { rows: used },
    );
  }
  const mu = swy / sw;
  let v = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const p = propensity[i]!;
    if (Number.isNaN(p)) continue;
    const w = (target ? target[i]! : 1) / p;
    const r = w * (outcome[i]! - mu);
    v += r * r;
  }
  const se = Math.sqrt(v) / sw;
  const z = normalQuantile(0.5 + level / 2);
  return {
    estimate: mu,
    lower: mu - z * se,
    upper: mu + z * se,
    se,
    level,
    n: used,
    sumWeights: sw,
    effectiveSampleSize: (sw * sw) / sw2,
  };
}
