import { allocateFromMatrix, upliftRankingPolicy } from "@cia/optimizer";
import type { AllocationResult } from "@cia/optimizer";

// The policies live in @cia/optimizer (upliftRankingPolicy, allocateFromMatrix, constantActions)
// and the one-hot matrix in @cia/core (oneHotActions); these names remain until the runner calls
// them directly.
export { oneHotActions as policyMatrix } from "@cia/core";
export { constantActions as treatAll } from "@cia/optimizer";

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

/** `upliftRankingPolicy` at a total budget on predicted incremental cost. */
export function upliftRanking(
  tauValue: Float64Array,
  tauCost: Float64Array,
  k: number,
  budget: number,
): ActionPolicy {
  return upliftRankingPolicy({ nActions: k, tauValue, tauCost }, { budgetTotal: budget });
}

/** `allocateFromMatrix` at a total budget, risk-aware on `lower` when it is given. */
export function optimizerPolicy(
  tauValue: Float64Array,
  tauCost: Float64Array,
  k: number,
  budget: number,
  lower?: Float64Array,
): AllocationResult {
  const input = { nUnits: tauValue.length / k, nActions: k, tauValue, tauCost, tauValueLower: lower };
  return allocateFromMatrix(input, lower ? { budget, risk: "lower" } : { budget });
}
