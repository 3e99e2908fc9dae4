import { numpyMean } from "@cia/core/parity";
import { directMethodRounds } from "./direct-method.js";
import { importanceWeights } from "./importance-weights.js";
import type { EstimatorInputs, RoundwiseEstimate } from "./types.js";
import { assertValidEstimatorInputs } from "./validate-inputs.js";

/**
 * Switch-DR (Wang, Agarwal and Dudík 2017, as in OBP): the DR correction is kept only where the
 * importance weight is at most `tau`; elsewhere the round falls back to the model,
 * V = mean_i [ q_hat(x_i, pi_e) + 1{w_i <= tau} w_i (r_i - q_hat(x_i, a_i)) ].
 * tau = Infinity gives DR exactly; tau = 0 gives DM exactly (a zero weight adds nothing).
 *
 * @example
 * switchDoublyRobust({ k, action, propensity, reward, target, qHat }, { tau: 10 }).estimate;
 */
export function switchDoublyRobust(
  inputs: EstimatorInputs,
  options: { tau?: number | undefined; validate?: boolean } = {},
): RoundwiseEstimate {
  if (options.validate ?? true) assertValidEstimatorInputs(inputs, { requireQHat: true });
  const tau = options.tau ?? Number.POSITIVE_INFINITY;
  if (!(tau >= 0)) throw new RangeError(`tau must be >= 0, got ${tau}`);
  const { k, action, reward, target } = inputs;
  const qHat = inputs.qHat!;
  const n = action.length;
  const w = importanceWeights(inputs);
  const rounds = directMethodRounds(target, qHat, k, n);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi <= tau) rounds[i]! += wi * (reward[i]! - qHat[i * k + action[i]!]!);
  }
  return { estimator: "switch-dr", estimate: numpyMean(rounds), rounds };
}
