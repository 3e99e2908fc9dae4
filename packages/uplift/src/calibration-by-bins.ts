import { argsort } from "@cia/core";
import type { EffectItems } from "./effect-items.js";
import { type IpwEstimate, hajekUplift } from "./hajek-uplift.js";

/** A holdout with logged propensities: action, one outcome, and the propensity of the logged action. */
export interface LoggedOutcome {
  action: ArrayLike<number>;
  outcome: ArrayLike<number>;
  /** Probability of the logged action under the logging design, per row. */
  propensity: ArrayLike<number>;
}

/** One quantile bin of predicted effects. */
export interface CalibrationBin {
  count: number;
  predictedMean: number;
  predictedMin: number;
  predictedMax: number;
  /** IPW (Hajek) realized uplift of the bin's items with its interval. */
  realized: IpwEstimate;
  /** Mean true effect of the bin's items, when the truth is known. */
  truthMean: number | null;
}

/** Calibration of predicted effects against realized IPW uplift by quantile bins. */
export interface CalibrationResult {
  bins: CalibrationBin[];
  /** Inverse-variance weighted least squares of realized on predicted bin means (1 = calibrated). */
  slope: number;
  intercept: number;
  /** Least squares of the bins' true mean effects on their predicted means, when the truth is known. */
  truthSlope: number | null;
  truthIntercept: number | null;
}

/**
 * Calibration by quantile bins: items sorted by predicted effect and cut into `bins` equal-count
 * bins; per bin, predicted mean vs realized IPW uplift (Hajek, with a normal interval at `level`)
 * and, when `truth` holds the true effects at the items, the true mean; plus the calibration
 * slope (realized on predicted across bins).
 *
 * @example
 * const items = effectItems(pred.tauValue, k, [1]);
 * const cal = calibrationByBins(items, { action, outcome: value, propensity }, { bins: 10 });
 * cal.slope; // ~1 when calibrated
 */
export function calibrationByBins(
  items: EffectItems,
  holdout: LoggedOutcome,
  options: { bins?: number; level?: number; truth?: Float64Array | undefined } = {},
): CalibrationResult {
  const nb = options.bins ?? 10;
  const m = items.units.length;
  const order = argsort(items.values);
  const units = Int32Array.from(order, (j) => items.units[j]!);
  const arms = Int32Array.from(order, (j) => items.arms[j]!);
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < nb; b++) {
    const start = Math.floor((b * m) / nb);
    const end = Math.floor(((b + 1) * m) / nb);
    if (end <= start) continue;
    let s = 0;
    let t = 0;
    for (let j = start; j < end; j++) {
      s += items.values[order[j]!]!;
      if (options.truth) t += options.truth[order[j]!]!;
    }
    bins.push({
      count: end - start,
      predictedMean: s / (end - start),
      predictedMin: items.values[order[start]!]!,
      predictedMax: items.values[order[end - 1]!]!,
      realized: hajekUplift(
        units,
        arms,
        start,
        end,
        holdout.action,
        holdout.outcome,
        holdout.propensity,
        options.level ?? 0.9,
      ),
      truthMean: options.truth ? t / (end - start) : null,
    });
  }
  const xs = bins.map((b) => b.predictedMean);
  const ys = bins.map((b) => b.realized.estimate);
  const ws = bins.map((b) =>
    b.realized.se > 0 && Number.isFinite(b.realized.se) ? 1 / b.realized.se ** 2 : 0,
  );
  const useW = ws.every((w) => w > 0);
  const fit = weightedLine(xs, ys, useW ? ws : xs.map(() => 1));
  const tfit = options.truth
    ? weightedLine(
        xs,
        bins.map((b) => b.truthMean!),
        xs.map(() => 1),
      )
    : null;
  return {
    bins,
    slope: fit.slope,
    intercept: fit.intercept,
    truthSlope: tfit?.slope ?? null,
    truthIntercept: tfit?.intercept ?? null,
  };
}

/** Weighted least-squares line y = intercept + slope x (NaN slope when x does not vary). */
export function weightedLine(xs: number[], ys: number[], ws: number[]): { slope: number; intercept: number } {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let j = 0; j < xs.length; j++) {
    if (!Number.isFinite(ys[j]!) || !Number.isFinite(xs[j]!)) continue;
    sw += ws[j]!;
    sx += ws[j]! * xs[j]!;
    sy += ws[j]! * ys[j]!;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let j = 0; j < xs.length; j++) {
    if (!Number.isFinite(ys[j]!) || !Number.isFinite(xs[j]!)) continue;
    sxx += ws[j]! * (xs[j]! - mx) ** 2;
    sxy += ws[j]! * (xs[j]! - mx) * (ys[j]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return { slope, intercept: my - slope * mx };
}
