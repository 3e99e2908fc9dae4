import { numpyMean } from "@cia/core/parity";
import { doublyRobustRounds } from "./doubly-robust.js";
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
  const rounds = doublyRobustRounds(inputs, { clip: options.clip, selfNormalize: true });
  return { estimator: "sndr", estimate: numpyMean(rounds), rounds };
}
