/**
 * Every `code` of a `CiaError` that @cia/uplift throws (`CiaError<UpliftErrorCode>`). Bad training
 * data is not among them: `validateUpliftData` throws a `DataValidationError` (code
 * `data_validation`, from @cia/core) carrying {@link UpliftIssueCode} issues.
 *
 * @example
 * if (CiaError.isInstance(e) && (e.code as UpliftErrorCode) === "insufficient_support") ...
 */
export type UpliftErrorCode =
  /** An option outside its domain (bootstrap level, propensity clip, drRotationSeed, a missing head or classifier). */
  | "invalid_option"
  /** Prediction or diagnostics inputs of the wrong size (propensity not n x K, segment or holdout arrays not one per row). */
  | "invalid_input"
  /** A model JSON that does not parse, is not a cia-uplift model, or lacks a base model its learner needs. */
  | "invalid_model"
  /** An action (or a DR fold, a split half) with too few training rows for the learner. */
  | "insufficient_support"
  /** A learner or combination that needs propensities got none (DR, the X-learner's weights, `source: "logged"`). */
  | "missing_propensity"
  /** Features with another column count than the model was fitted on. */
  | "feature_mismatch"
  /** Arrays passed between stages with inconsistent lengths (a caller's bug rather than bad data). */
  | "shape_mismatch";

/**
 * Every `code` of a `DataIssue` that `validateUpliftData` / `safeValidateUpliftData` report; each
 * issue's `path` names the field (and row) and its message the fix.
 */
export type UpliftIssueCode =
  /** A feature is +/- Infinity (NaN is allowed: it marks a missing value). */
  | "non_finite_feature"
  /** action, value, cost, segment or propensity does not have one entry (propensity: K) per row. */
  | "shape_mismatch"
  /** An action that is not a non-negative integer below nActions. */
  | "bad_action"
  /** nActions below 2 or not an integer. */
  | "bad_n_actions"
  /** A value or cost that is NaN or infinite. */
  | "non_finite_outcome"
  /** A propensity outside [0, 1], or 0 for the logged action. */
  | "propensity_out_of_range"
  /** A propensity row that does not sum to 1 (tolerance 1e-6). */
  | "propensity_not_normalized"
  /** A segment code that is not a non-negative integer. */
  | "bad_segment";
