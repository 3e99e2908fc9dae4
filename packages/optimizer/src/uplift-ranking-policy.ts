import { CiaError } from "@cia/core";
import type { OptimizerErrorCode } from "./error-codes.js";

/** Effect predictions in the n x K layout (row-major, column 0 = no offer, whose scores are ignored). */
export interface EffectMatrixInput {
  /** K, including column 0. */
  readonly nActions: number;
  /** Predicted incremental value tau^v(x_i, a), n x K. */
  readonly tauValue: ArrayLike<number>;
  /** Predicted incremental cost tau^c(x_i, a), n x K. */
  readonly tauCost: ArrayLike<number>;
}

/** Options of {@link upliftRankingPolicy}. */
export interface UpliftRankingOptions {
  /**
   * Total budget over all units on predicted incremental cost (the sum of max(0, tau^c) over the
   * treated units may not exceed it); not per unit. Infinity treats every unit with a positive lift.
   */
  readonly budgetTotal: number;
}

/**
 * Classic value-only uplift targeting, the baseline a cost-aware allocation should beat: each
 * unit's offer with the largest predicted value lift (none when no lift is positive; ties to the
 * lower action), units ranked by that lift (descending, ties to the lower unit index; cost
 * ignored, as value-only uplift models do), treated in that order while the predicted spend,
 * sum of max(0, tau^c), stays within `budgetTotal`. A unit whose offer does not fit is skipped and
 * the next one tried. Returns one action per unit (0 = no offer).
 *
 * Throws `CiaError("invalid_option")` for a K that is not a positive integer or a NaN budget, and
 * `CiaError("shape_mismatch")` when the matrices are not n x K.
 *
 * @example
 * // 3 units, control + 1 offer; lifts 5, 3, 4 and costs 2, 1, 2 under a total budget of 3
 * upliftRankingPolicy(
 *   { nActions: 2, tauValue: [0, 5, 0, 3, 0, 4], tauCost: [0, 2, 0, 1, 0, 2] },
 *   { budgetTotal: 3 },
 * ); // Int32Array [1, 1, 0]
 */
export function upliftRankingPolicy(
  effects: EffectMatrixInput,
  options: { budgetTotal: number },
): Int32Array {
  const { nActions: k, tauValue, tauCost } = effects;
  const budget = options.budgetTotal;
  if (!(Number.isInteger(k) && k >= 1))
    throw new CiaError<OptimizerErrorCode>(
      "invalid_option",
      `nActions must be a positive integer, got ${k}`,
      { nActions: k },
    );
  if (Number.isNaN(budget))
    throw new CiaError<OptimizerErrorCode>("invalid_option", "budgetTotal is NaN", { budgetTotal: budget });
  if (tauValue.length % k !== 0 || tauCost.length !== tauValue.length)
    throw new CiaError<OptimizerErrorCode>(
      "shape_mismatch",
      `tauValue (${tauValue.length}) and tauCost (${tauCost.length}) must both be n x K with K = ${k}`,
      { nActions: k, tauValue: tauValue.length, tauCost: tauCost.length },
    );
  const n = tauValue.length / k;
  const best = new Int32Array(n);
  const lift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    let v = 0;
    for (let a = 1; a < k; a++) {
      if (tauValue[i * k + a]! > v) {
        v = tauValue[i * k + a]!;
        b = a;
      }
    }
    best[i] = b;
    lift[i] = v;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => lift[y]! - lift[x]! || x - y);
  const out = new Int32Array(n);
  let spent = 0;
  for (const i of order) {
    // Ranked by lift, so the first unit without a positive lift ends the treated ones.
    if (best[i] === 0) break;
    const c = Math.max(0, tauCost[i * k + best[i]!]!);
    if (spent + c > budget) continue;
    spent += c;
    out[i] = best[i]!;
  }
  return out;
}
