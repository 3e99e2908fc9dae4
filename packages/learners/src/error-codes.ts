/**
 * Every `code` @cia/learners throws (as `CiaError<LearnersErrorCode>`). The names follow the
 * repository's shared vocabulary (`invalid_option`, `shape_mismatch`, `invalid_model`, ...), so a
 * caller can handle the same problem the same way whichever package reports it.
 */
export type LearnersErrorCode =
  /** A learner or bin-mapper option is out of range or of the wrong kind (`details` names it). */
  | "invalid_option"
  /** `fit` got no rows. */
  | "empty_data"
  /** Lengths or widths disagree: y or weights vs the rows of x, columns vs the fitted model. */
  | "shape_mismatch"
  /** A feature value the learner cannot use (NaN or infinite where missing values are not supported). */
  | "invalid_feature"
  /** A target outside the loss's domain (not finite, not in [0, 1], negative counts, all zero). */
  | "invalid_target"
  /** A sample weight that is negative or not finite, or weights summing to zero. */
  | "invalid_weight"
  /** A categorical feature holds a non-finite value. */
  | "invalid_category"
  /** A categorical feature has more distinct values than `maxBins`. */
  | "too_many_categories"
  /** Model JSON that does not parse, has an unknown kind or version, or inconsistent arrays. */
  | "invalid_model";
