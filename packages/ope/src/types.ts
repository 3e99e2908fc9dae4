/**
 * Shared types of @cia/ope. Notation (OBP / Dudík et al. 2014): n logged rounds i with context
 * x_i, logged action a_i, logging propensity pi_b(a_i | x_i), reward r_i; a target (evaluation)
 * policy pi_e(a | x_i) as an n x K row-major matrix; reward-model predictions q_hat(x_i, a) as
 * another n x K matrix. Action 0 is the no-offer arm.
 */
import type { Interval } from "@cia/core";

/** Names of the estimators, as used in result records and `ope.json`. */
export type EstimatorName = "dm" | "ips" | "snips" | "dr" | "sndr" | "switch-dr";

/**
 * Every estimator name, in a stable order.
 *
 * @example
 * for (const name of ESTIMATOR_NAMES) estimatePolicyValue(name, inputs);
 */
export const ESTIMATOR_NAMES: readonly EstimatorName[] = ["dm", "ips", "snips", "dr", "sndr", "switch-dr"];

/**
 * Estimators that read the reward model `qHat`.
 *
 * @example
 * MODEL_BASED_ESTIMATORS.includes("dr"); // true
 */
export const MODEL_BASED_ESTIMATORS: readonly EstimatorName[] = ["dm", "dr", "sndr", "switch-dr"];

/**
 * The inputs of one estimator run on one outcome (value or cost).
 *
 * For slates or positions (Open Bandit Dataset), pass the per-round slice: `target[i, a]` is the
 * target distribution at the logged position of round i, and `qHat[i, a]` the prediction at that
 * position. That is exactly what OBP's estimators read.
 */
export interface EstimatorInputs {
  /** Number of actions K; the matrices are n x K row-major. */
  readonly k: number;
  /** Logged action a_i (or the realized treatment under non-compliance), in [0, K). */
  readonly action: Int32Array;
  /** pi_b(a_i | x_i), the logging probability of the logged action, in (0, 1]. */
  readonly propensity: Float64Array;
  /** Observed reward r_i. */
  readonly reward: Float64Array;
  /** Target policy pi_e(a | x_i), n x K, each row a distribution. */
  readonly target: Float64Array;
  /** Reward-model predictions q_hat(x_i, a), n x K (required by DM, DR, SNDR and Switch-DR). */
  readonly qHat?: Float64Array | undefined;
}

/** Options shared by the estimators. */
export interface EstimatorOptions {
  /**
   * Weight clipping: importance weights above `clip` are replaced by `clip` (OBP's `lambda_`).
   * Default Infinity (no clipping). Applies to IPS, SNIPS, DR and SNDR.
   */
  readonly clip?: number | undefined;
  /** Switch-DR threshold tau: the correction term is used only where w_i <= tau. Default Infinity. */
  readonly tau?: number | undefined;
}

/**
 * An estimate with its per-round contributions: `estimate` is the mean of `rounds` (numpy's
 * pairwise summation, so it equals OBP's `estimate_policy_value` bit for bit). Intervals and
 * paired differences are computed from `rounds`.
 */
export interface RoundwiseEstimate {
  readonly estimator: EstimatorName;
  readonly estimate: number;
  readonly rounds: Float64Array;
}

/**
 * A point estimate with its interval and standard error: the one `{ estimate, lower, upper, se }`
 * shape of the repository (experiment's `EffectEstimate` and `HajekEstimate` and uplift's
 * `IpwEstimate` carry the same four fields plus their own).
 */
export interface Estimate extends Interval {
  readonly se: number;
}
