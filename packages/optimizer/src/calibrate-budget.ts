import { CiaError, type Interval } from "@cia/core";

/** How {@link calibrateBudget} reads an off-policy spend estimate. */
export type SpendCriterion = "point" | "interval" | "upper";

/**
 * The spend a criterion assigns to an allocation with predicted spend `predicted` and off-policy
 * spend estimate `estimate` (see {@link CalibrateBudgetOptions.criterion}).
 *
 * @example
 * spendByCriterion("interval", 100, { estimate: 110, lower: 104, upper: 116 }); // 104
 */
export function spendByCriterion(criterion: SpendCriterion, predicted: number, estimate: Interval): number {
  if (criterion === "point") return estimate.estimate;
  if (criterion === "upper") return estimate.upper;
  return Math.min(Math.max(predicted, estimate.lower), estimate.upper);
}

/** Options of {@link calibrateBudget}. */
export interface CalibrateBudgetOptions<A> {
  /** The budget the true spend must meet (same unit as the estimates: total or per unit, but one). */
  readonly budget: number;
  /** The allocation at a budget handed to the optimizer (on predicted cost). */
  readonly allocate: (handedBudget: number) => A;
  /** The allocation's predicted spend (sum of predicted incremental cost) and its off-policy estimate with an interval. */
  readonly spend: (allocation: A) => { readonly predicted: number; readonly estimate: Interval };
  /**
   * "point": the estimated true spend is the off-policy point estimate; "upper": its upper bound (a
   * budget met with confidence, at the price of under-spending on average); "interval" (default):
   * the model's predicted spend clamped into the off-policy interval, so the model is corrected only
   * where the logged data contradict it. The default exists because the point estimate of spend is
   * noisy (about 5-6% of the budget on 9,000 logged units in the simulator's worlds): steering to it
   * adds that noise to every run, while an honest cost head is already within a few percent.
   */
  readonly criterion?: SpendCriterion | undefined;
  /** Iterations at most (default 8) and the relative tolerance of the match (default 0.002). */
  readonly maxIterations?: number | undefined;
  readonly tolerance?: number | undefined;
}

/** Result of {@link calibrateBudget}. */
export interface CalibratedBudget<A> {
  readonly allocation: A;
  /** The budget handed to the optimizer in the end (on predicted cost). */
  readonly handedBudget: number;
  readonly predictedSpend: number;
  /** The off-policy spend estimate of the final allocation. */
  readonly estimatedSpend: Interval;
  /** The spend the criterion assigns to the final allocation (met to `tolerance` when converged). */
  readonly calibratedSpend: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** True when the predicted spend lies outside the off-policy interval (a disagreement to report). */
  readonly disagreement: boolean;
}

/**
 * Budget safety at true spend: find the budget to hand the optimizer so that the allocation's
 * estimated TRUE spend (off-policy, on logged data the model was not fit on) meets `budget`. The
 * optimizer spends its budget on predicted cost, and when it selects pairs whose cost is
 * under-predicted (maximizing value per predicted cost does exactly that) true spend exceeds the
 * budget; this step shrinks (or widens) the handed budget by the ratio of target to estimate,
 * a fixed-point iteration that stops when the two agree.
 *
 * @example
 * const r = calibrateBudget({
 *   budget: 7000,
 *   allocate: (b) => allocate(candidates, { budget: b }),
 *   spend: (a) => ({ predicted: a.spend, estimate: drCostOf(a) }),
 * });
 * r.allocation; r.handedBudget; r.estimatedSpend;
 */
export function calibrateBudget<A>(options: CalibrateBudgetOptions<A>): CalibratedBudget<A> {
  const { budget } = options;
  if (!(budget > 0 && Number.isFinite(budget)))
    throw new CiaError("invalid_option", `budget must be a positive finite number, got ${budget}`, {
      budget,
    });
  const criterion = options.criterion ?? "interval";
  const maxIterations = options.maxIterations ?? 8;
  const tolerance = options.tolerance ?? 0.002;
  const assess = (a: A) => {
    const s = options.spend(a);
    const e = s.estimate;
    return { ...s, calibrated: spendByCriterion(criterion, s.predicted, e) };
  };
  let handed = budget;
  let allocation = options.allocate(handed);
  let s = assess(allocation);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    if (!(s.calibrated > 0)) break;
    const ratio = budget / s.calibrated;
    if (Math.abs(ratio - 1) <= tolerance) {
      converged = true;
      break;
    }
    handed *= ratio;
    allocation = options.allocate(handed);
    s = assess(allocation);
    iterations++;
  }
  if (!converged && s.calibrated > 0) converged = Math.abs(budget / s.calibrated - 1) <= tolerance;
  return {
    allocation,
    handedBudget: handed,
    predictedSpend: s.predicted,
    estimatedSpend: s.estimate,
    calibratedSpend: s.calibrated,
    iterations,
    converged,
    disagreement: s.predicted < s.estimate.lower || s.predicted > s.estimate.upper,
  };
}
