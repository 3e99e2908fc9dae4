import { CiaError, normalQuantile } from "@cia/core";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * Minimum detectable effect of a two-arm comparison: the true difference a two-sided level-alpha
 * z-test detects with probability `power`,
 *   MDE = (z_{1 - alpha/2} + z_{power}) * sqrt(var_treated / n_treated + var_control / n_control).
 * Pass effective sample sizes when propensities vary (the Hajek variance scales with 1 / ESS).
 *
 * @example
 * minimumDetectableEffect({ nTreated: 1000, nControl: 1000, variance: 1 }); // 0.1253
 */
export function minimumDetectableEffect(options: {
  nTreated: number;
  nControl: number;
  variance: number;
  varianceControl?: number | undefined;
  alpha?: number | undefined;
  power?: number | undefined;
}): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_option",
      `alpha and power must be in (0, 1), got ${alpha}, ${power}`,
    );
  }
  const v1 = options.variance;
  const v0 = options.varianceControl ?? v1;
  if (!(v1 >= 0 && v0 >= 0))
    throw new CiaError<ExperimentErrorCode>("invalid_option", "variances must be >= 0");
  if (!(options.nTreated > 0 && options.nControl > 0)) return Number.POSITIVE_INFINITY;
  const zs = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return zs * Math.sqrt(v1 / options.nTreated + v0 / options.nControl);
}

/** Support of one action cell. */
export interface CellSupport {
  readonly action: number;
  readonly name: string;
  /** Rows (observed) or expected rows (planning) in the cell. */
  readonly count: number;
  /** Kish effective sample size of the cell's IPW weights (= count when planning). */
  readonly effectiveN: number;
  /** MDE of this action against no-offer (NaN for the control cell). */
  readonly mde: number;
}

/** Per-cell support and MDEs with lesson 2's warning. */
export interface SupportReport {
  readonly cells: readonly CellSupport[];
  /** True when some action cell is thinner than `minPerCell` or cannot detect `targetEffect`. */
  readonly tooManyActions: boolean;
  readonly warnings: readonly string[];
  /**
   * Largest number of arms (no-offer included) that an equal split of this sample could support:
   * each cell at least `minPerCell`, and, with `targetEffect`, an MDE of at most the target.
   */
  readonly maxSupportedActions: number;
}

export interface SupportOptions {
  readonly actions: readonly string[];
  readonly control?: number | undefined;
  /** Outcome variance per unit (e.g. a pilot or historical estimate). */
  readonly outcomeVariance: number;
  readonly alpha?: number | undefined;
  readonly power?: number | undefined;
  /** Smallest acceptable cell (default 1000 units: enough for a per-cell mean, thin for HTE). */
  readonly minPerCell?: number | undefined;
  /** The smallest effect worth detecting; cells whose MDE exceeds it are flagged. */
  readonly targetEffect?: number | undefined;
}

/**
 * Per-cell support and the minimum detectable effect per action (lesson 2: a large action space
 * starves each cell). Either from a log (`action` and `propensity` arrays: counts and Kish
 * effective sizes per arm) or for planning (`n` units and the design's expected `shares`).
 *
 * @example
 * const r = supportReport({ n: 20_000, shares: [0.2, 0.2, 0.2, 0.2, 0.2], actions, outcomeVariance: 4, targetEffect: 0.1 });
 * r.tooManyActions; // true: 4,000 units per cell cannot detect 0.1 at sd 2
 */
export function supportReport(
  options: SupportOptions &
    (
      | { n: number; shares: ArrayLike<number>; action?: undefined; propensity?: undefined }
      | { action: ArrayLike<number>; propensity: ArrayLike<number>; n?: undefined; shares?: undefined }
    ),
): SupportReport {
  const { actions } = options;
  const k = actions.length;
  const control = options.control ?? 0;
  const minPerCell = options.minPerCell ?? 1000;
  const count = new Float64Array(k);
  const ess = new Float64Array(k);
  let total: number;
  if (options.shares !== undefined) {
    if (options.shares.length !== k)
      throw new CiaError<ExperimentErrorCode>(
        "shape_mismatch",
        `${options.shares.length} shares for ${k} actions`,
      );
    let st = 0;
    for (let a = 0; a < k; a++) st += options.shares[a]!;
    for (let a = 0; a < k; a++) {
      count[a] = (options.n * options.shares[a]!) / st;
      ess[a] = count[a]!;
    }
    total = options.n;
  } else {
    const { action, propensity } = options;
    const sw = new Float64Array(k);
    const sw2 = new Float64Array(k);
    total = 0;
    for (let i = 0; i < action.length; i++) {
      const a = action[i]!;
      if (a < 0) continue;
      const w = 1 / propensity[i]!;
      count[a]!++;
      sw[a]! += w;
      sw2[a]! += w * w;
      total++;
    }
    for (let a = 0; a < k; a++) ess[a] = sw2[a]! > 0 ? (sw[a]! * sw[a]!) / sw2[a]! : 0;
  }
  const mdeArgs = { variance: options.outcomeVariance, alpha: options.alpha, power: options.power };
  const cells: CellSupport[] = [];
  const warnings: string[] = [];
  for (let a = 0; a < k; a++) {
    const mde =
      a === control
        ? Number.NaN
        : minimumDetectableEffect({ ...mdeArgs, nTreated: ess[a]!, nControl: ess[control]! });
    cells.push({ action: a, name: actions[a]!, count: count[a]!, effectiveN: ess[a]!, mde });
    if (count[a]! < minPerCell) {
      warnings.push(
        `cell "${actions[a]}" has ${Math.round(count[a]!)} units, below the minimum of ${minPerCell} per cell`,
      );
    }
    if (a !== control && options.targetEffect !== undefined && mde > options.targetEffect) {
      warnings.push(
        `action "${actions[a]}": minimum detectable effect ${mde.toPrecision(3)} exceeds the target ${options.targetEffect}`,
      );
    }
  }
  // Largest equal split meeting both criteria: cells of total / m each.
  let maxSupportedActions = Math.floor(total / minPerCell);
  if (options.targetEffect !== undefined) {
    const alpha = options.alpha ?? 0.05;
    const power = options.power ?? 0.8;
    const zs = normalQuantile(1 - alpha / 2) + normalQuantile(power);
    // MDE(m) = zs * sqrt(2 * var * m / total) <= target  <=>  m <= total * target^2 / (2 zs^2 var).
    const byEffect = Math.floor(
      (total * options.targetEffect ** 2) / (2 * zs * zs * options.outcomeVariance),
    );
    maxSupportedActions = Math.min(maxSupportedActions, byEffect);
  }
  if (warnings.length > 0) {
    warnings.push(
      `the action space (${k} arms) is too large for ${Math.round(total)} units: an equal split supports at most ` +
        `${maxSupportedActions} arms; start compact and expand locally (lesson 2)`,
    );
  }
  return { cells, tooManyActions: warnings.length > 0, warnings, maxSupportedActions };
}
