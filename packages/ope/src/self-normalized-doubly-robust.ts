import { numpyMean } from "@cia/core/parity";
import { directMethodRounds } from "./direct-method.js";
import { importanceWeights } from "./importance-weights.js";
import type { EstimatorInputs, RoundwiseEstimate } from "./types.js";
import { assertValidEstimatorInputs } from "./validate-inputs.js";

/**
 * Self-normalized doubly robust (SNDR): the DR correction divided by the mean weight,
 * V = mean_i [ q_hat(x_i, pi_e) + w_i (r_i - q_hat(x_i, a_i)) / mean(w) ], as OBP's
 * `SelfNormalizedDoublyRobust` computes it (normalized once, per round).
 *
 * @example
 * selfNormalizedDoublyRobust({ k, action, propensity, reward, target, qHat }).estimate;
 */
export function selfNormalizedDoublyRobust(
  inputs: EstimatorInputs,
  options: { clip?: number | undefined; validate?: boolean } = {},
): RoundwiseEstimate {
  if (options.validate ?? true) assertValidEstimatorInputs(inputs, { requireQHat: true });
  const { k, action, reward, target } = inputs;
  const qHat = inputs.qHat!;
  const n = action.length;
  const w = importanceWeights(inputs, { clip: options.clip });
  const meanW = numpyMean(w);
  const rounds = directMethodRounds(target, qHat, k, n);
  for (let i = 0; i < n; i++) rounds[i]! += (w[i]! * (reward[i]! - qHat[i * k + action[i]!]!)) / meanW;
  return { estimator: "sndr", estimate: numpyMean(rounds), rounds };
}
