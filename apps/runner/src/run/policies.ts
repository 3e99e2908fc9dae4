import { allocate, candidatesFromMatrix } from "@cia/optimizer";
import type { AllocationResult } from "@cia/optimizer";

/** A deterministic policy: one action index per unit (0 = no offer). */
export type ActionPolicy = Int32Array;

/** True incremental value and cost of a deterministic policy, from the simulator's effects (n x K). */
export function trueIncrement(
  policy: ActionPolicy,
  tauValue: Float64Array,
  tauCost: Float64Array,
  k: number,
): { value: number; cost: number; treated: number } {
  let v = 0;
  let c = 0;
  let t = 0;
  for (let i = 0; i < policy.length; i++) {
    const a = policy[i]!;
    if (a === 0) continue;
    v += tauValue[i * k + a]!;
    c += tauCost[i * k + a]!;
    t++;
  }
  return { value: v, cost: c, treated: t };
}

/** One-hot n x K matrix of a deterministic policy (for OPE and the simulator). */
export function policyMatrix(policy: ActionPolicy, k: number): Float64Array {
  const m = new Float64Array(policy.length * k);
  for (let i = 0; i < policy.length; i++) m[i * k + policy[i]!] = 1;
  return m;
}

/** Everyone gets the same offer. */
export function treatAll(n: number, action: number): ActionPolicy {
  return new Int32Array(n).fill(action);
}

/**
 * Classic uplift targeting: each unit's offer with the largest predicted value lift, units ranked
 * by that lift (cost ignored, as value-only uplift models do), treated in order while the
 * predicted spend stays within the budget.
 */
export function upliftRanking(
  tauValue: Float64Array,
  tauCost: Float64Array,
  k: number,
  budget: number,
): ActionPolicy {
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
    if (best[i] === 0) break;
    const c = Math.max(0, tauCost[i * k + best[i]!]!);
    if (spent + c > budget) continue;
    spent += c;
    out[i] = best[i]!;
  }
  return out;
}

/**
 * The optimizer at a budget on predicted incremental cost: at most one action per unit maximizing
 * predicted incremental value, with the proven upper bound.
 */
export function optimizerPolicy(
  tauValue: Float64Array,
  tauCost: Float64Array,
  k: number,
  budget: number,
  lower?: Float64Array,
): AllocationResult {
  const n = tauValue.length / k;
  const c = candidatesFromMatrix({ nUnits: n, nActions: k, tauValue, tauCost, tauValueLower: lower });
  return allocate(c, lower ? { budget, risk: "lower" } : { budget });
}
