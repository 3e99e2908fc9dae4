import { numpyMean } from "@cia/core/parity";
import { directMethodRounds } from "./direct-method.js";
import { importanceWeights } from "./importance-weights.js";
import type { EstimatorInputs, RoundwiseEstimate } from "./types.js";
import { assertValidEstimatorInputs } from "./validate-inputs.js";

/**
 * Doubly robust (DR, Dudík et al. 2014): V_DR = mean_i [ q_hat(x_i, pi_e) + w_i (r_i - q_hat(x_i, a_i)) ].
 * Unbiased when either the propensities or the reward model are right; a good model shrinks the
 * variance of the IPS correction. Optional weight clipping at `clip` as in OBP.
 *
 * @example
 * doublyRobust({ k, action, propensity, reward, target, qHat }).estimate;
 */
export function doublyRobust(
  inputs: EstimatorInputs,
  options: { clip?: number | undefined; validate?: boolean } = {},
): RoundwiseEstimate {
  if (options.validate ?? true) assertValidEstimatorInputs(inputs, { requireQHat: true });
  const rounds = doublyRobustRounds(inputs, { clip: options.clip });
  return { estimator: "dr", estimate: numpyMean(rounds), rounds };
}

/**
 * Per-round DR terms q_hat(x_i, pi_e) + w_i (r_i - q_hat(x_i, a_i)) / c, with c = 1 (DR) or, with
 * `selfNormalize`, c = mean(w) (SNDR, normalized once on the full sample as OBP does). Dividing by
 * exactly 1 changes no bit, so DR and SNDR share this loop. Inputs must be valid, with `qHat`.
 */
export function doublyRobustRounds(
  inputs: EstimatorInputs,
  options: { clip?: number | undefined; selfNormalize?: boolean } = {},
): Float64Array {
  const { k, action, reward, target } = inputs;
  const qHat = inputs.qHat!;
  const n = action.length;
  const w = importanceWeights(inputs, { clip: options.clip });
  const normalizer = options.selfNormalize ? numpyMean(w) : 1;
  const rounds = directMethodRounds(target, qHat, k, n);
  for (let i = 0; i < n; i++) rounds[i]! += (w[i]! * (reward[i]! - qHat[i * k + action[i]!]!)) / normalizer;
  return rounds;
}
