import type { DataIssue } from "@cia/core";

/**
 * Every `code` of a `CiaError` that @cia/ope throws (`CiaError<OpeErrorCode>`). Malformed
 * estimator or evaluation inputs are not among them: `assertValidEstimatorInputs` and
 * `evaluatePolicy` throw a `DataValidationError` (code `data_validation`, from @cia/core) carrying
 * {@link OpeIssueCode} issues. Arguments outside their domain in the low-level helpers (a bad K,
 * level, tau, clip or resample count) throw a plain `RangeError`.
 *
 * @example
 * try { evaluatePolicy(data, { target }) } catch (e) { if (CiaError.isInstance(e) && e.code === "support_violation") ... }
 */
export type OpeErrorCode =
  /** The target or baseline puts probability on actions the logging policy never takes there. */
  | "support_violation"
  /** Inputs of `realizedTreatment` of the wrong length (compliance flags, logging or compliance probabilities). */
  | "invalid_input"
  /** An option outside its domain (e.g. `selectPolicy`'s candidate names or intervals). */
  | "invalid_option";

/** Every `code` of a `DataIssue` that `validateEstimatorInputs` and `evaluatePolicy` report. */
export type OpeIssueCode =
  /** The number of actions K is not a positive integer. */
  | "invalid_k"
  /** No logged rounds. */
  | "empty"
  /** Parallel arrays of different lengths, or a matrix that is not n x K (was `length_mismatch`). */
  | "shape_mismatch"
  /** A model-based estimator without its reward-model predictions (`qHat`, or `qHat.cost` for the cost head). */
  | "missing_q_hat"
  /** A logged action outside 0..K-1. */
  | "action_out_of_range"
  /** A logged propensity outside (0, 1]. */
  | "propensity_out_of_range"
  /** A reward, cost or reward-model prediction that is not finite. */
  | "non_finite"
  /** A policy probability outside [0, 1]. */
  | "probability_out_of_range"
  /** A policy row that does not sum to 1. */
  | "not_a_distribution"
  /** An estimator name that is not one of `ESTIMATOR_NAMES`. */
  | "unknown_estimator"
  /** Only one of `realizedAction` and `realizedPropensity` was given. */
  | "incomplete_realized_treatment"
  /** A `populationSize` that is not > 0. */
  | "invalid_population_size";

/** A `DataIssue` whose code is one of {@link OpeIssueCode}. */
export type OpeIssue = DataIssue & { code: OpeIssueCode };
