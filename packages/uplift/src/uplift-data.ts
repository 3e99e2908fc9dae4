import { CiaError, type DataIssue, DataValidationError, type DenseMatrix } from "@cia/core";
import type { UpliftErrorCode, UpliftIssueCode } from "./error-codes.js";

/**
 * Training (or holdout) data for multi-action uplift: one row per logged decision.
 *
 * Literature letters: X = `features`, W = `action` (0 = no offer, 1..K-1 offers), Y = `value` /
 * `cost`, e = `propensity`.
 *
 * @example
 * const data: UpliftData = { features, action: Int32Array.from([0, 1, 2]), value, cost, nActions: 3 };
 */
export interface UpliftData {
  /** n x p feature matrix (row-major). */
  features: DenseMatrix;
  /** Logged action per row, an integer in [0, nActions); 0 is the no-offer arm. */
  action: ArrayLike<number>;
  /** Value outcome per row. */
  value: ArrayLike<number>;
  /** Cost outcome per row (optional: a value-only model has no cost head). */
  cost?: ArrayLike<number> | undefined;
  /** Number of actions K including no-offer; default max(action) + 1. */
  nActions?: number | undefined;
  /**
   * Logged action probabilities of the design, n x K row-major (each row sums to 1). Needed for
   * `propensity.source = "logged"`; the pairwise weight of action a against no-offer is
   * pi_a / (pi_a + pi_0).
   */
  propensity?: Float64Array | undefined;
  /** Lifecycle segment code per row (0, 1, 2...) for segment-specific models. */
  segment?: ArrayLike<number> | undefined;
}

/** Validated, typed-array form of UpliftData. */
export interface CheckedUpliftData {
  features: DenseMatrix;
  action: Int32Array;
  value: Float64Array;
  cost: Float64Array | null;
  nActions: number;
  propensity: Float64Array | null;
  segment: Int32Array | null;
}

/** The result of `safeValidateUpliftData`. */
export type SafeUpliftDataResult =
  | { success: true; data: CheckedUpliftData }
  | { success: false; issues: DataIssue[] };

/**
 * Validate uplift data without throwing: every problem becomes a DataIssue (first 20 per field).
 *
 * @example
 * const r = safeValidateUpliftData(data);
 * if (!r.success) console.error(formatIssues(r.issues));
 */
export function safeValidateUpliftData(data: UpliftData): SafeUpliftDataResult {
  const issues: DataIssue[] = [];
  const n = data.features.rows;
  const push = (code: UpliftIssueCode, path: (string | number)[], message: string): void => {
    if (issues.filter((i) => i.path[0] === path[0]).length < 20) issues.push({ code, path, message });
  };
  for (let i = 0; i < data.features.data.length; i++) {
    if (
      Number.isNaN(data.features.data[i]!) ||
      Math.abs(data.features.data[i]!) === Number.POSITIVE_INFINITY
    ) {
      // NaN marks a missing value, which boosting handles; infinities are a data error.
      if (!Number.isNaN(data.features.data[i]!)) {
        const row = Math.floor(i / data.features.cols);
        push(
          "non_finite_feature",
          ["features", row, i % data.features.cols],
          `feature is infinite at row ${row}`,
        );
      }
    }
  }
  if (data.action.length !== n)
    push("shape_mismatch", ["action"], `action has ${data.action.length} rows, features ${n}`);
  if (data.value.length !== n)
    push("shape_mismatch", ["value"], `value has ${data.value.length} rows, features ${n}`);
  if (data.cost && data.cost.length !== n)
    push("shape_mismatch", ["cost"], `cost has ${data.cost.length} rows, features ${n}`);
  let maxA = 0;
  const action = new Int32Array(n);
  for (let i = 0; i < Math.min(n, data.action.length); i++) {
    const a = data.action[i]!;
    if (!Number.isInteger(a) || a < 0)
      push("bad_action", ["action", i], `action must be a non-negative integer, got ${a}`);
    else {
      action[i] = a;
      if (a > maxA) maxA = a;
    }
  }
  const k = data.nActions ?? maxA + 1;
  if (!Number.isInteger(k) || k < 2)
    push("bad_n_actions", ["nActions"], `need at least 2 actions (no-offer + one offer), got ${k}`);
  if (maxA >= k) push("bad_action", ["action"], `action ${maxA} out of range for nActions = ${k}`);
  const value = Float64Array.from(data.value);
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i]!))
      push("non_finite_outcome", ["value", i], `value is not finite at row ${i}`);
  }
  let cost: Float64Array | null = null;
  if (data.cost) {
    cost = Float64Array.from(data.cost);
    for (let i = 0; i < cost.length; i++) {
      if (!Number.isFinite(cost[i]!))
        push("non_finite_outcome", ["cost", i], `cost is not finite at row ${i}`);
    }
  }
  let propensity: Float64Array | null = null;
  if (data.propensity) {
    propensity = data.propensity;
    if (propensity.length !== n * k) {
      push(
        "shape_mismatch",
        ["propensity"],
        `propensity must be n x K = ${n * k} values, got ${propensity.length}`,
      );
    } else {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < k; a++) {
          const p = propensity[i * k + a]!;
          if (!(p >= 0 && p <= 1))
            push("propensity_out_of_range", ["propensity", i, a], `propensity ${p} not in [0, 1]`);
          s += p;
        }
        if (Math.abs(s - 1) > 1e-6)
          push("propensity_not_normalized", ["propensity", i], `row ${i} sums to ${s}, not 1`);
        if (!(propensity[i * k + action[i]!]! > 0)) {
          push(
            "propensity_out_of_range",
            ["propensity", i, action[i]!],
            `logged action has propensity 0 at row ${i}`,
          );
        }
      }
    }
  }
  let segment: Int32Array | null = null;
  if (data.segment) {
    if (data.segment.length !== n)
      push("shape_mismatch", ["segment"], `segment has ${data.segment.length} rows, features ${n}`);
    segment = new Int32Array(n);
    for (let i = 0; i < Math.min(n, data.segment.length); i++) {
      const s = data.segment[i]!;
      if (!Number.isInteger(s) || s < 0)
        push("bad_segment", ["segment", i], `segment must be a non-negative integer, got ${s}`);
      else segment[i] = s;
    }
  }
  if (issues.length > 0) return { success: false, issues };
  return {
    success: true,
    data: { features: data.features, action, value, cost, nActions: k, propensity, segment },
  };
}

/**
 * Validate uplift data, throwing a DataValidationError listing every issue.
 *
 * @example
 * const checked = validateUpliftData({ features, action, value });
 */
export function validateUpliftData(data: UpliftData): CheckedUpliftData {
  const r = safeValidateUpliftData(data);
  if (!r.success) throw new DataValidationError(r.issues);
  return r.data;
}

/** Row indices of each action, in row order. */
export function rowsByAction(action: Int32Array, k: number): Int32Array[] {
  const counts = new Int32Array(k);
  for (let i = 0; i < action.length; i++) counts[action[i]!]!++;
  const out = Array.from({ length: k }, (_, a) => new Int32Array(counts[a]!));
  const fill = new Int32Array(k);
  for (let i = 0; i < action.length; i++) {
    const a = action[i]!;
    out[a]![fill[a]!++] = i;
  }
  return out;
}

/** Throw a CiaError when some action has fewer than `min` rows. */
export function requireSupport(rows: Int32Array[], min: number, where: string): void {
  for (let a = 0; a < rows.length; a++) {
    if (rows[a]!.length < min) {
      throw new CiaError<UpliftErrorCode>(
        "insufficient_support",
        `${where}: action ${a} has ${rows[a]!.length} rows, need at least ${min}`,
        {
          action: a,
          rows: rows[a]!.length,
          min,
        },
      );
    }
  }
}
