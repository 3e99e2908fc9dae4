import type { DataIssue } from "@cia/core";

/**
 * Every `code` of a `CiaError` that @cia/pacer throws (`CiaError<PacerErrorCode>`). Malformed
 * ledgers, cohorts and redemption histories are not among them: they throw a `DataValidationError`
 * (code `data_validation`, from @cia/core) carrying {@link PacerIssueCode} issues.
 *
 * @example
 * const r = safeFitRedemptionTiming(history, { horizonDays: 28 });
 * if (!r.success && r.error.code === "no_redemptions") useThePrior();
 */
export type PacerErrorCode =
  /** A constructor or fit option outside its domain (periodBudget, horizonDays, eta, priorStrength, a schedule of the wrong length...). */
  | "invalid_option"
  /** A call's argument outside its domain (a day outside the period, a NaN age, a share outside [0, 1], a bad todaysBudget input, mixed timing weights). */
  | "invalid_input"
  /** A JSON state that is not what it claims (redemption timing, cost bias, lambda controller). */
  | "invalid_model"
  /** No redemption observed yet, so the redemption lag cannot be fitted (give a prior). */
  | "no_redemptions";

/** Every `code` of a `DataIssue` in a @cia/pacer `DataValidationError`; the issue's `path` names the entry. */
export type PacerIssueCode =
  /** Parallel arrays (ledger, history, knots and shares, time and event) of different lengths. */
  | "shape_mismatch"
  /** An assignment, redemption or survival time that is not finite (or not >= 0). */
  | "invalid_time"
  /** A ledger segment that does not index `segments`. */
  | "invalid_segment"
  /** A predicted or realized cost that is not finite and >= 0. */
  | "invalid_cost"
  /** A cost cohort (for the bias or the remaining liability) with a non-finite or negative amount or time. */
  | "invalid_cohort"
  /** A Kaplan-Meier event indicator other than 0 or 1. */
  | "invalid_event"
  /** A Kaplan-Meier case weight that is not finite and >= 0. */
  | "invalid_weight"
  /** A timing curve knot that is not finite, >= 0 and increasing. */
  | "invalid_knot"
  /** A timing curve share outside [0, 1] or decreasing. */
  | "invalid_share"
  /** An offer age that is not finite and >= 0. */
  | "invalid_age"
  /** A redemption lag below 0 (NaN means not redeemed). */
  | "invalid_lag";

/** A `DataIssue` whose code is one of {@link PacerIssueCode}. */
export type PacerIssue = DataIssue & { code: PacerIssueCode };
