import { CiaError, DataValidationError } from "@cia/core";
import type { CostBias } from "./cost-bias.js";
import type { RedemptionTiming } from "./redemption-timing.js";
import type { PacerErrorCode, PacerIssue } from "./error-codes.js";
import { cohortIssue } from "./pacer-issue.js";
import { invalidOption } from "./invalid-option.js";

/** An open cohort: offers of one segment assigned at one time, not all redeemed yet. */
export interface OpenCohort {
  segment: string;
  /** Assignment time in days (same clock as `asOfDays`). */
  assignedAt: number;
  /** Predicted eventual cost of the cohort (model units, before bias calibration). */
  predictedCost: number;
  /** Cost realized so far; needed only by the "benktander" method. */
  realizedCost?: number | undefined;
  /**
   * Optional sum over the cohort's offers of predicted cost x F(own age); when given, the cohort's
   * maturity is maturedPredictedCost / predictedCost instead of F at the cohort's mean age (exact
   * when the offers were assigned at different times of the day).
   */
  maturedPredictedCost?: number | undefined;
}

export interface RemainingLiabilityOptions {
  asOfDays: number;
  timing: RedemptionTiming;
  bias: CostBias;
  /**
   * "bornhuetter-ferguson" (default): remaining = P x b x (1 - F(age)), ignoring what the cohort
   * has realized so far (robust for young cohorts). "benktander": (1 - F) x (R + (1 - F) x P x b),
   * the credibility blend of Bornhuetter-Ferguson and chain ladder with weight F on the cohort's
   * own realized cost (Benktander 1976); lower variance once cohorts are mature.
   */
  method?: "bornhuetter-ferguson" | "benktander" | undefined;
}

export interface RemainingLiability {
  /** Expected cost still to be realized by all cohorts (currency units). */
  total: number;
  /** Per cohort, in input order. */
  perCohort: Float64Array;
}

/**
 * Expected remaining liability of open cohorts: for each cohort, predicted cost x bias factor of
 * its segment x (1 - F(age)), summed (the Bornhuetter-Ferguson reserve, with the bias-calibrated
 * prediction as the a-priori ultimate). Cohorts older than the horizon contribute 0; cohorts
 * assigned after `asOfDays` count in full.
 *
 * @example
 * const timing = RedemptionTiming.fromShares({ knots: [1, 2], shares: [0.5, 0.75], horizonDays: 3 });
 * const bias = CostBias.none();
 * expectedRemainingLiability(
 *   [{ segment: "a", assignedAt: 0, predictedCost: 100 }, { segment: "a", assignedAt: 1, predictedCost: 40 }],
 *   { asOfDays: 2, timing, bias },
 * ).total; // 100 * 0.25 + 40 * 0.5 = 45
 */
export function expectedRemainingLiability(
  cohorts: readonly OpenCohort[],
  options: RemainingLiabilityOptions,
): RemainingLiability {
  const { asOfDays, timing, bias } = options;
  const method = options.method ?? "bornhuetter-ferguson";
  if (!Number.isFinite(asOfDays)) throw invalidOption("asOfDays", asOfDays, "finite");
  if (method !== "bornhuetter-ferguson" && method !== "benktander") {
    throw new CiaError<PacerErrorCode>("invalid_option", `unknown method ${String(method)}`, { method });
  }
  const issues: PacerIssue[] = [];
  const per = new Float64Array(cohorts.length);
  let total = 0;
  for (let i = 0; i < cohorts.length; i++) {
    const c = cohorts[i]!;
    if (!(Number.isFinite(c.predictedCost) && c.predictedCost >= 0)) {
      issues.push(cohortIssue(i, "predictedCost", "a finite number >= 0", c.predictedCost));
    }
    if (!Number.isFinite(c.assignedAt)) {
      issues.push(cohortIssue(i, "assignedAt", "finite", c.assignedAt));
    }
    const r = c.realizedCost ?? 0;
    if (method === "benktander" && !(Number.isFinite(r) && r >= 0)) {
      issues.push(cohortIssue(i, "realizedCost", "a finite number >= 0", r));
    }
    if (issues.length >= 20) break;
    if (issues.length > 0) continue;
    const mat = c.maturedPredictedCost;
    if (mat !== undefined && !(mat >= 0 && mat <= c.predictedCost * (1 + 1e-12))) {
      issues.push(cohortIssue(i, "maturedPredictedCost", "in [0, predictedCost]", mat));
    }
    if (issues.length > 0) continue;
    const rest =
      mat !== undefined && c.predictedCost > 0
        ? Math.max(0, 1 - mat / c.predictedCost)
        : timing.remainingShare(asOfDays - c.assignedAt);
    const prior = c.predictedCost * bias.factor(c.segment);
    const v = method === "benktander" ? rest * (r + rest * prior) : rest * prior;
    per[i] = v;
    total += v;
  }
  if (issues.length > 0) throw new DataValidationError(issues);
  return { total, perCohort: per };
}
