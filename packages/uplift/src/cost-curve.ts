import { argsort } from "@cia/core";
import { cpiv } from "./efficiency.js";

/** Cumulative incremental value against cumulative incremental cost, at `points` + 1 depths. */
export interface CostCurve {
  /** Share of units treated, 0..1. */
  fraction: Float64Array;
  /** Horvitz-Thompson estimates of cumulative incremental value and cost (sums over treated units). */
  ipwValue: Float64Array;
  ipwCost: Float64Array;
  /** True cumulative incremental value and cost of the same assignment, when the truth is known. */
  trueValue: Float64Array | null;
  trueCost: Float64Array | null;
  /** Each unit's chosen offer (best predicted CPIV among offers with positive predicted value; 0 if none). */
  chosen: Int32Array;
  /** Units with an offer, in treatment order. */
  order: Int32Array;
}

/**
 * The cost-aware curve over many actions: each unit gets the offer with the best predicted
 * efficiency (CPIV) among offers with tau_value > 0; units are treated in order of that efficiency,
 * best first, and the curve traces cumulative incremental value against cumulative incremental
 * cost. On a holdout with logged propensities both sums are Horvitz-Thompson estimates: unit i
 * given offer a contributes y_i (1{A_i = a} - 1{A_i = 0}) / p_i with p_i the logged action's
 * propensity, which is unbiased for tau(x_i, a). With the truth, the exact curve of the same
 * assignment is returned too.
 *
 * @example
 * const c = costCurve(pred.tauValue, pred.tauCost!, k, { action, value, cost, propensity });
 * c.ipwValue[c.ipwValue.length - 1]; // total incremental value of treating every chosen unit
 */
export function costCurve(
  tauValue: Float64Array,
  tauCost: Float64Array,
  nActions: number,
  holdout: {
    action: ArrayLike<number>;
    value: ArrayLike<number>;
    cost: ArrayLike<number>;
    propensity: ArrayLike<number>;
  },
  options: {
    points?: number;
    eps?: number | undefined;
    truthValue?: Float64Array | undefined;
    truthCost?: Float64Array | undefined;
  } = {},
): CostCurve {
  const k = nActions;
  const n = tauValue.length / k;
  const eps = options.eps ?? 1e-9;
  const chosen = new Int32Array(n);
  const best = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    for (let a = 1; a < k; a++) {
      const tv = tauValue[i * k + a]!;
      if (!(tv > 0)) continue;
      const e = cpiv(tv, tauCost[i * k + a]!, eps);
      if (e > best[i]!) {
        best[i] = e;
        chosen[i] = a;
      }
    }
  }
  const sorted = argsort(best, { descending: true });
  let m = 0;
  for (let i = 0; i < n; i++) if (chosen[i]! > 0) m++;
  const order = sorted.subarray(0, m);
  const points = Math.max(1, Math.min(options.points ?? 100, Math.max(m, 1)));
  const fraction = new Float64Array(points + 1);
  const iv = new Float64Array(points + 1);
  const ic = new Float64Array(points + 1);
  const tvOut = options.truthValue ? new Float64Array(points + 1) : null;
  const tcOut = options.truthCost ? new Float64Array(points + 1) : null;
  let sv = 0;
  let sc = 0;
  let stv = 0;
  let stc = 0;
  let p = 1;
  for (let j = 0; j < m; j++) {
    const i = order[j]!;
    const a = chosen[i]!;
    const la = holdout.action[i]!;
    const sign = la === a ? 1 : la === 0 ? -1 : 0;
    if (sign !== 0) {
      sv += (sign * holdout.value[i]!) / holdout.propensity[i]!;
      sc += (sign * holdout.cost[i]!) / holdout.propensity[i]!;
    }
    if (options.truthValue) stv += options.truthValue[i * k + a]!;
    if (options.truthCost) stc += options.truthCost[i * k + a]!;
    // Record at the end of each of `points` equal slices of the treated units.
    while (p <= points && j + 1 >= Math.round((p * m) / points)) {
      fraction[p] = (j + 1) / n;
      iv[p] = sv;
      ic[p] = sc;
      if (tvOut) tvOut[p] = stv;
      if (tcOut) tcOut[p] = stc;
      p++;
    }
  }
  return {
    fraction,
    ipwValue: iv,
    ipwCost: ic,
    trueValue: tvOut,
    trueCost: tcOut,
    chosen,
    order: Int32Array.from(order),
  };
}
