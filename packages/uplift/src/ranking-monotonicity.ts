import { argsort, spearman } from "@cia/core";
import type { EffectItems } from "./effect-items.js";
import { cpiv } from "./efficiency.js";
import { type IpwEstimate, hajekUplift } from "./hajek-uplift.js";

/** A holdout with both outcomes and the logged action's propensity. */
export interface LoggedValueCost {
  action: ArrayLike<number>;
  value: ArrayLike<number>;
  cost: ArrayLike<number>;
  propensity: ArrayLike<number>;
}

/** One bin of predicted efficiency (ascending). */
export interface EfficiencyBin {
  count: number;
  /** Median predicted CPIV of the bin's items. */
  predictedEfficiency: number;
  realizedValue: IpwEstimate;
  realizedCost: IpwEstimate;
  /** realizedValue / realizedCost with the CPIV zero conventions. */
  realizedEfficiency: number;
  /** sum true tau_value / sum true tau_cost over the bin's items, when the truth is known. */
  trueEfficiency: number | null;
}

/** Ranking monotonicity of predicted efficiency against realized efficiency. */
export interface RankingMonotonicityResult {
  bins: EfficiencyBin[];
  /** Pairs of bins (b < c) whose realized efficiency is ordered against the prediction. */
  inversions: number;
  /** Number of bin pairs, the worst possible count. */
  pairs: number;
  /** Spearman correlation of bin order with realized efficiency. */
  spearman: number;
  truthInversions: number | null;
  truthSpearman: number | null;
}

/**
 * Ranking validity (methodology: "lower predicted cost per value should correspond to better
 * realized efficiency"): items sorted by predicted CPIV = tau_value / tau_cost ascending, cut
 * into equal-count bins; per bin the realized efficiency is the ratio of the IPW (Hajek) value
 * and cost uplifts. Reports the inversion count and the Spearman correlation of bin order with
 * realized efficiency, and the same against the truth when known.
 *
 * @example
 * const r = rankingMonotonicity(effectItems(pred.tauValue, k), atItems(pred.tauCost, k, items), holdout);
 */
export function rankingMonotonicity(
  valueItems: EffectItems,
  predictedCost: Float64Array,
  holdout: LoggedValueCost,
  options: {
    bins?: number;
    level?: number;
    eps?: number | undefined;
    truthValue?: Float64Array | undefined;
    truthCost?: Float64Array | undefined;
  } = {},
): RankingMonotonicityResult {
  const nb = options.bins ?? 10;
  const eps = options.eps ?? 1e-9;
  const m = valueItems.units.length;
  const eff = new Float64Array(m);
  for (let j = 0; j < m; j++) eff[j] = cpiv(valueItems.values[j]!, predictedCost[j]!, eps);
  const order = argsort(eff);
  const units = Int32Array.from(order, (j) => valueItems.units[j]!);
  const arms = Int32Array.from(order, (j) => valueItems.arms[j]!);
  const level = options.level ?? 0.9;
  const bins: EfficiencyBin[] = [];
  for (let b = 0; b < nb; b++) {
    const start = Math.floor((b * m) / nb);
    const end = Math.floor(((b + 1) * m) / nb);
    if (end <= start) continue;
    const rv = hajekUplift(units, arms, start, end, holdout.action, holdout.value, holdout.propensity, level);
    const rc = hajekUplift(units, arms, start, end, holdout.action, holdout.cost, holdout.propensity, level);
    let tv = 0;
    let tc = 0;
    if (options.truthValue && options.truthCost) {
      for (let j = start; j < end; j++) {
        tv += options.truthValue[order[j]!]!;
        tc += options.truthCost[order[j]!]!;
      }
    }
    bins.push({
      count: end - start,
      predictedEfficiency: eff[order[Math.floor((start + end - 1) / 2)]!]!,
      realizedValue: rv,
      realizedCost: rc,
      realizedEfficiency: cpiv(rv.estimate, rc.estimate, eps),
      trueEfficiency: options.truthValue && options.truthCost ? cpiv(tv, tc, eps) : null,
    });
  }
  const realized = bins.map((b) => b.realizedEfficiency);
  const truth = options.truthValue ? bins.map((b) => b.trueEfficiency!) : null;
  const idx = bins.map((_, b) => b);
  return {
    bins,
    inversions: countInversions(realized),
    pairs: (bins.length * (bins.length - 1)) / 2,
    spearman: safeSpearman(idx, realized),
    truthInversions: truth ? countInversions(truth) : null,
    truthSpearman: truth ? safeSpearman(idx, truth) : null,
  };
}

/**
 * Pairs b < c with v[b] > v[c] (NaN counts as an inversion against everything).
 *
 * @example
 * countInversions([1, 3, 2]); // 1
 */
export function countInversions(v: readonly number[]): number {
  let inv = 0;
  for (let b = 0; b < v.length; b++) {
    for (let c = b + 1; c < v.length; c++) if (!(v[b]! <= v[c]!)) inv++;
  }
  return inv;
}

function safeSpearman(x: number[], y: number[]): number {
  // Ranks handle infinities; NaN (undefined efficiency) would make the correlation meaningless.
  if (y.some((v) => Number.isNaN(v))) return Number.NaN;
  const finite = y.map((v) =>
    v === Number.POSITIVE_INFINITY
      ? Number.MAX_VALUE
      : v === Number.NEGATIVE_INFINITY
        ? -Number.MAX_VALUE
        : v,
  );
  return spearman(x, finite);
}
