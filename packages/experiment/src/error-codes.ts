import type { DataIssue } from "@cia/core";

/**
 * Every `code` of a `CiaError` that @cia/experiment throws (`CiaError<ExperimentErrorCode>`).
 * Eligibility rules read from JSON are not among them: `parseEligibilityRules` throws a
 * `DataValidationError` (code `data_validation`, from @cia/core) carrying
 * {@link ExperimentIssueCode} issues.
 *
 * @example
 * try { plan.assign(units) } catch (e) { if (CiaError.isInstance(e) && e.code === "unknown_program") ... }
 */
export type ExperimentErrorCode =
  /** An option or argument outside its domain (level, alpha, power, k, df, counts, the control index). */
  | "invalid_option"
  /** Parallel arrays of different lengths (propensity, outcome, masks, unit ids, columns, shares). */
  | "shape_mismatch"
  /** An arm without rows (or no row with positive weight): its mean or effect is not identified. */
  | "insufficient_support"
  /** A logged action outside 0..K-1. */
  | "invalid_action"
  /** Fewer than 2 actions, an empty action name, or a name listed twice. */
  | "invalid_actions"
  /** A logged propensity outside (0, 1]. */
  | "propensity_out_of_range"
  /** An outcome that is not finite. */
  | "invalid_outcome"
  /** A design's settings are invalid (strata, probabilities, temperature, epsilon, an unknown JSON kind). */
  | "invalid_design"
  /** A stratified design was asked for units without `context.stratum`. */
  | "missing_stratum"
  /** A unit's stratum code outside the design's strata. */
  | "invalid_stratum"
  /** A warm-start design was asked for units without `context.score`. */
  | "missing_score"
  /** A warm-start score that is not finite. */
  | "invalid_score"
  /** An action probability outside [0, 1] in a bucket map. */
  | "invalid_probability"
  /** Action probabilities that do not sum to 1. */
  | "probabilities_do_not_sum_to_one"
  /** A positive probability below the hash's 2^-32 resolution (it would never be drawn). */
  | "probability_below_resolution"
  /** An experiment id, unit id or salt that is empty or contains the U+001F separator. */
  | "invalid_hash_key"
  /** An experiment plan's layers, slots, shares or holdout are invalid. */
  | "invalid_plan"
  /** A program that is not in the experiment plan. */
  | "unknown_program"
  /** An eligibility rule reads a feature that is not a column of the table. */
  | "unknown_feature"
  /** An eligibility comparison of the wrong type (a number op on a categorical column, or the reverse). */
  | "rule_type_mismatch"
  /** Two eligibility rules with one name. */
  | "duplicate_rule_name";

/** Every `code` of a `DataIssue` that `parseEligibilityRules` / `safeParseEligibilityRules` report. */
export type ExperimentIssueCode =
  /** The rules are not an array. */
  | "invalid_rules"
  /** A rule or expression that is not an object of a known shape (no name, no `when`, no leaf form). */
  | "invalid_rule"
  /** A key a rule or expression does not allow. */
  | "unknown_key"
  /** A comparison op that is not one of the known ones. */
  | "unknown_op"
  /** A comparison value of the wrong type (a number op without a number, an empty `in` list, a non-boolean `missing`). */
  | "invalid_value"
  /** Two rules with one name. */
  | "duplicate_rule_name";

/** A `DataIssue` whose code is one of {@link ExperimentIssueCode}. */
export type ExperimentIssue = DataIssue & { code: ExperimentIssueCode };
