import { CiaError } from "@cia/core";
import type { PolicyMatrix, PolicyValue, Truth } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/**
 * Exact expected value and cost of a policy from the truth: per unit sum_a pi(a | x) E[Y | x, a],
 * averaged over units (no sampling). Rows of `policy` must be probability vectors.
 *
 * @example
 * const truth = world.truth(pop);
 * const v = exactPolicyValue(truth, deterministicPolicy(heuristic, truth.k));
 * v.incrementalValue / v.incrementalCost; // value per unit of incremental cost
 */
export function exactPolicyValue(truth: Truth, policy: PolicyMatrix): PolicyValue {
  const { n, k } = truth;
  if (policy.length !== n * k) {
    throw new CiaError<SimulatorErrorCode>(
      "shape_mismatch",
      `policy has ${policy.length} entries, expected n x K = ${n * k}`,
      {
        length: policy.length,
        n,
        k,
      },
    );
  }
  let value = 0;
  let cost = 0;
  let base = 0;
  let baseCost = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let total = 0;
    for (let a = 0; a < k; a++) {
      const w = policy[row + a]!;
      if (!(w >= 0))
        throw new CiaError<SimulatorErrorCode>(
          "invalid_policy",
          `unit ${i}, action ${a}: probability ${w} is negative or NaN`,
        );
      total += w;
      value += w * truth.meanValue[row + a]!;
      cost += w * truth.meanCost[row + a]!;
    }
    if (Math.abs(total - 1) > 1e-9) {
      throw new CiaError<SimulatorErrorCode>(
        "invalid_policy",
        `unit ${i}: action probabilities sum to ${total}, not 1`,
        {
          unit: i,
          total,
        },
      );
    }
    base += truth.meanValue[row]!;
    baseCost += truth.meanCost[row]!;
  }
  const denom = n === 0 ? 1 : n;
  return {
    value: value / denom,
    cost: cost / denom,
    incrementalValue: (value - base) / denom,
    incrementalCost: (cost - baseCost) / denom,
    totalValue: value,
    totalCost: cost,
  };
}
