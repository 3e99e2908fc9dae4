import { CiaError } from "@cia/core";
import type { OracleResult } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/**
 * The exact LP optimum of the single-budget multiple-choice knapsack
 * max sum_i sum_a S_ia tauValue_ia  s.t.  sum_i sum_a S_ia tauCost_ia <= budget, sum_a S_ia = 1, S >= 0.
 *
 * Per unit, the (cost, value) points of its actions form an upper concave hull starting at the
 * cheapest action (control when costs are >= 0); the LP moves units along their hulls, so taking hull
 * increments greedily by decreasing value per cost until the budget binds is optimal, with at most
 * one unit split between two vertices (Sinha and Zoltners 1979). Increments with non-positive value
 * are never taken, so the budget is not spent when it would not pay.
 *
 * `value`/`cost` are totals (not means) and include the fractional unit's share; `assignment` and
 * `integralValue`/`integralCost` describe the integral allocation without it, which is feasible and
 * within one unit's increment of the optimum. Ties in value per cost go to the lower unit index.
 *
 * @example
 * // 2 units, control + 1 offer: the budget affords one offer; unit 1 has the better ratio.
 * const r = oracleAllocation(new Float64Array([0, 1, 0, 3]), new Float64Array([0, 2, 0, 2]), 2, 2, 2);
 * r.assignment; // Int32Array [0, 1]; r.value === 3
 */
export function oracleAllocation(
  tauValue: ArrayLike<number>,
  tauCost: ArrayLike<number>,
  n: number,
  k: number,
  budget: number,
): OracleResult {
  if (tauValue.length !== n * k || tauCost.length !== n * k) {
    throw new CiaError<SimulatorErrorCode>(
      "shape_mismatch",
      `tauValue and tauCost must have n x K = ${n * k} entries`,
      {
        tauValue: tauValue.length,
        tauCost: tauCost.length,
      },
    );
  }
  if (Number.isNaN(budget)) throw new CiaError<SimulatorErrorCode>("invalid_option", "budget is NaN");
  const assignment = new Int32Array(n);
  // Hull increments of every unit: at most K - 1 each.
  const cap = n * Math.max(0, k - 1);
  const incUnit = new Int32Array(cap);
  const incFrom = new Int32Array(cap);
  const incTo = new Int32Array(cap);
  const incDc = new Float64Array(cap);
  const incDv = new Float64Array(cap);
  const incSlope = new Float64Array(cap);
  let m = 0;
  const order = new Int32Array(k);
  const hull = new Int32Array(k);
  let startValue = 0;
  let startCost = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let a = 0; a < k; a++) {
      order[a] = a;
      const c = tauCost[row + a]!;
      const v = tauValue[row + a]!;
      if (!Number.isFinite(c) || !Number.isFinite(v)) {
        throw new CiaError<SimulatorErrorCode>("not_finite", `unit ${i}, action ${a}: tau is not finite`, {
          unit: i,
          action: a,
        });
      }
    }
    // Insertion sort by cost ascending, value descending, then action index (K is small).
    for (let a = 1; a < k; a++) {
      const t = order[a]!;
      const tc = tauCost[row + t]!;
      const tv = tauValue[row + t]!;
      let b = a - 1;
      while (b >= 0) {
        const ob = order[b]!;
        const oc = tauCost[row + ob]!;
        const ov = tauValue[row + ob]!;
        if (oc > tc || (oc === tc && (ov < tv || (ov === tv && ob > t)))) {
          order[b + 1] = ob;
          b--;
        } else break;
      }
      order[b + 1] = t;
    }
    // Upper hull (monotone chain), skipping points no better than the last kept one.
    let h = 0;
    for (let j = 0; j < k; j++) {
      const q = order[j]!;
      const qc = tauCost[row + q]!;
      const qv = tauValue[row + q]!;
      if (h > 0) {
        const last = hull[h - 1]!;
        if (qv <= tauValue[row + last]!) continue; // costs more, worth no more: never on the useful hull
      }
      while (h >= 2) {
        const a0 = hull[h - 2]!;
        const a1 = hull[h - 1]!;
        const c0 = tauCost[row + a0]!;
        const v0 = tauValue[row + a0]!;
        const c1 = tauCost[row + a1]!;
        const v1 = tauValue[row + a1]!;
        // Drop a1 when it lies on or below the segment a0 -> q.
        if ((v1 - v0) * (qc - c0) <= (qv - v0) * (c1 - c0)) h--;
        else break;
      }
      hull[h++] = q;
    }
    const first = hull[0]!;
    assignment[i] = first;
    startValue += tauValue[row + first]!;
    startCost += tauCost[row + first]!;
    for (let j = 1; j < h; j++) {
      const from = hull[j - 1]!;
      const to = hull[j]!;
      const dc = tauCost[row + to]! - tauCost[row + from]!;
      const dv = tauValue[row + to]! - tauValue[row + from]!;
      incUnit[m] = i;
      incFrom[m] = from;
      incTo[m] = to;
      incDc[m] = dc;
      incDv[m] = dv;
      incSlope[m] = dc > 0 ? dv / dc : Number.POSITIVE_INFINITY;
      m++;
    }
  }
  if (startCost > budget + 1e-9 * Math.max(1, Math.abs(budget))) {
    throw new CiaError<SimulatorErrorCode>(
      "infeasible_budget",
      `budget ${budget} is below the cheapest allocation's cost ${startCost}`,
      {
        budget,
        minimumCost: startCost,
      },
    );
  }
  // Greedy by decreasing value per cost, without a comparator sort: sort the slopes natively, find
  // by bisection the smallest slope threshold whose increments (all with slope >= it) fit the
  // budget, take those, then walk the next slope group in increment order until the budget binds.
  // Slopes strictly decrease along each unit's hull, so "slope >= threshold" is a prefix of every
  // hull, and ties across units go to the lower increment index (= lower unit).
  const sorted = incSlope.slice(0, m).sort();
  const costAtOrAbove = (threshold: number): number => {
    let total = 0;
    for (let j = 0; j < m; j++) if (incSlope[j]! >= threshold) total += incDc[j]!;
    return total;
  };
  const available = budget - startCost;
  let lo = 0;
  let hi = m; // position m stands for "take nothing", which always fits
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (costAtOrAbove(sorted[mid]!) <= available) hi = mid;
    else lo = mid + 1;
  }
  let value = startValue;
  let cost = startCost;
  let lambda = 0;
  let fractional: OracleResult["fractional"] = null;
  if (lo < m) {
    const threshold = sorted[lo]!;
    for (let j = 0; j < m; j++) {
      if (incSlope[j]! < threshold) continue;
      value += incDv[j]!;
      cost += incDc[j]!;
      assignment[incUnit[j]!] = incTo[j]!;
    }
  }
  if (lo > 0) {
    // The budget binds inside the next slope group: fill it in increment order, split one unit.
    const next = sorted[lo - 1]!;
    lambda = next;
    let remaining = budget - cost;
    for (let j = 0; j < m; j++) {
      if (incSlope[j] !== next) continue;
      const dc = incDc[j]!;
      if (dc <= remaining) {
        remaining -= dc;
        value += incDv[j]!;
        cost += dc;
        assignment[incUnit[j]!] = incTo[j]!;
        continue;
      }
      const fraction = remaining > 0 ? remaining / dc : 0;
      if (fraction > 0) fractional = { unit: incUnit[j]!, from: incFrom[j]!, to: incTo[j]!, fraction };
      break;
    }
  }
  const integralValue = value;
  const integralCost = cost;
  if (fractional !== null) {
    const j = fractional;
    const row = j.unit * k;
    value += j.fraction * (tauValue[row + j.to]! - tauValue[row + j.from]!);
    cost += j.fraction * (tauCost[row + j.to]! - tauCost[row + j.from]!);
  }
  return { value, cost, assignment, integralValue, integralCost, lambda, fractional };
}
