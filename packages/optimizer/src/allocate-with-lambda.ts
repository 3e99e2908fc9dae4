import { CiaError } from "@cia/core";
import { type AllocationOptions, normalizeProblem } from "./allocation-options.js";
import type { AllocationResult } from "./allocation-result.js";
import type { Candidates } from "./candidates.js";
import { finishAllocation } from "./finish-allocation.js";
import { pruneNormalized } from "./prune-candidates.js";
import type { OptimizerErrorCode } from "./error-codes.js";

/** Options of {@link allocateWithLambda}: pruning and valuation only (no budget or caps). */
export type LambdaAllocationOptions = Pick<
  AllocationOptions,
  "maxCostPerValue" | "minValuePerCost" | "risk" | "pruneDominated"
>;

/**
 * Allocate at a fixed budget price lambda: each unit takes the option with the highest NPV score
 * tau_value - lambda * tau_cost, or no offer when no score is positive (ties: no offer, then the
 * cheaper option). This is the pacer's mode. By Everett's theorem the result is optimal (LP and
 * integral alike) for the budget it spends, so `upper_bound === objective` and
 * `totals.budget === totals.spend`.
 *
 * @example
 * const r = allocateWithLambda(candidates, 0.8);
 * r.totals.spend; // what this price spends
 */
export function allocateWithLambda(
  candidates: Candidates,
  lambda: number,
  options: LambdaAllocationOptions = {},
): AllocationResult {
  if (!(Number.isFinite(lambda) && lambda >= 0)) {
    throw new CiaError<OptimizerErrorCode>(
      "invalid_option",
      `lambda must be finite and >= 0, got ${lambda}`,
      { lambda },
    );
  }
  const problem = normalizeProblem(candidates, options);
  const prune = pruneNormalized(candidates, problem);
  const v = problem.value;
  const cost = candidates.tauCost;
  const n = candidates.nUnits;
  const choice = new Int32Array(n).fill(-1);
  const { keptStart, kept } = prune;
  for (let u = 0; u < n; u++) {
    let best = 0;
    // kept rows are in cost order, so a strict improvement keeps the cheaper option on ties
    for (let p = keptStart[u]!; p < keptStart[u + 1]!; p++) {
      const i = kept[p]!;
      const s = v[i]! - lambda * cost[i]!;
      if (s > best) {
        best = s;
        choice[u] = i;
      }
    }
  }
  const result = finishAllocation(candidates, v, choice, {
    budget: Number.NaN,
    lambda: Math.max(lambda, problem.floor ?? 0),
    upperBound: Number.NaN,
    constraints: [],
    reports: [],
    prune: prune.counts,
    certificate: {
      method: "fixed_lambda",
      fractional: [],
      iterations: 0,
      converged: true,
      dual_lower_bound: 0,
      gap_limit: 0,
      rounding: "exact",
    },
  });
  result.totals.budget = result.totals.spend;
  result.certificate.dual_lower_bound = result.totals.upper_bound;
  return result;
}
