import { DataValidationError } from "@cia/core";

import type { EstimatorInputs } from "./types.js";
import type { OpeIssue } from "./error-codes.js";

const MAX_ISSUES = 100;
/** Rows of a policy matrix must sum to 1 within this tolerance (OBD's columns sum to 1 +- 2e-16). */
const ROW_SUM_TOLERANCE = 1e-6;

/**
 * Check estimator inputs and return every problem found (up to 100) as data issues: lengths,
 * actions in [0, K), propensities in (0, 1], finite rewards, target rows that are distributions,
 * finite reward-model predictions. An empty array means the inputs are usable.
 *
 * @example
 * const issues = validateEstimatorInputs({ k: 2, action, propensity, reward, target });
 * if (issues.length) console.error(formatIssues(issues));
 */
export function validateEstimatorInputs(
  inputs: EstimatorInputs,
  options: { requireQHat?: boolean } = {},
): OpeIssue[] {
  const issues: OpeIssue[] = [];
  const add = (issue: OpeIssue): boolean => {
    if (issues.length < MAX_ISSUES) issues.push(issue);
    return issues.length < MAX_ISSUES;
  };
  const { k, action, propensity, reward, target, qHat } = inputs;
  const n = action.length;
  if (!Number.isInteger(k) || k < 1) {
    add({
      code: "invalid_k",
      path: ["k"],
      message: `the number of actions must be a positive integer, got ${k}`,
    });
    return issues;
  }
  if (n === 0) add({ code: "empty", path: ["action"], message: "no logged rounds: action has length 0" });
  if (propensity.length !== n)
    add({
      code: "shape_mismatch",
      path: ["propensity"],
      message: `propensity has ${propensity.length} entries, action has ${n}`,
    });
  if (reward.length !== n)
    add({
      code: "shape_mismatch",
      path: ["reward"],
      message: `reward has ${reward.length} entries, action has ${n}`,
    });
  if (target.length !== n * k)
    add({
      code: "shape_mismatch",
      path: ["target"],
      message: `target has ${target.length} entries, expected n x K = ${n} x ${k} = ${n * k}`,
    });
  if (qHat !== undefined && qHat.length !== n * k)
    add({
      code: "shape_mismatch",
      path: ["qHat"],
      message: `qHat has ${qHat.length} entries, expected n x K = ${n * k}`,
    });
  if (options.requireQHat && qHat === undefined)
    add({
      code: "missing_q_hat",
      path: ["qHat"],
      message: "this estimator needs reward-model predictions qHat (n x K)",
    });
  if (issues.length > 0) return issues;

  for (let i = 0; i < n; i++) {
    const a = action[i]!;
    if (
      !(a >= 0 && a < k) &&
      !add({
        code: "action_out_of_range",
        path: ["row", i, "action"],
        message: `action ${a} is outside [0, ${k})`,
      })
    )
      return issues;
    const p = propensity[i]!;
    if (
      !(p > 0 && p <= 1) &&
      !add({
        code: "propensity_out_of_range",
        path: ["row", i, "propensity"],
        message: `propensity ${p} is outside (0, 1]; log the probability of the taken action`,
      })
    )
      return issues;
    if (
      !Number.isFinite(reward[i]!) &&
      !add({
        code: "non_finite",
        path: ["row", i, "reward"],
        message: `reward ${reward[i]} is not a finite number`,
      })
    )
      return issues;
    let rowSum = 0;
    for (let a2 = 0; a2 < k; a2++) {
      const t = target[i * k + a2]!;
      if (!(t >= 0 && t <= 1)) {
        if (
          !add({
            code: "probability_out_of_range",
            path: ["row", i, "target", a2],
            message: `target probability ${t} is outside [0, 1]`,
          })
        )
          return issues;
      }
      rowSum += t;
      if (qHat !== undefined && !Number.isFinite(qHat[i * k + a2]!)) {
        if (
          !add({
            code: "non_finite",
            path: ["row", i, "qHat", a2],
            message: `qHat ${qHat[i * k + a2]} is not a finite number`,
          })
        )
          return issues;
      }
    }
    if (
      !(Math.abs(rowSum - 1) <= ROW_SUM_TOLERANCE) &&
      !add({
        code: "not_a_distribution",
        path: ["row", i, "target"],
        message: `target probabilities sum to ${rowSum}, not 1`,
      })
    )
      return issues;
  }
  return issues;
}

/**
 * Throwing variant of {@link validateEstimatorInputs}: throws a `DataValidationError` listing the
 * issues.
 *
 * @example
 * assertValidEstimatorInputs(inputs); // throws DataValidationError with code "data_validation"
 */
export function assertValidEstimatorInputs(
  inputs: EstimatorInputs,
  options: { requireQHat?: boolean } = {},
): void {
  const issues = validateEstimatorInputs(inputs, options);
  if (issues.length > 0) throw new DataValidationError(issues);
}
