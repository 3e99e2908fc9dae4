import { numpyMean } from "@cia/core/parity";
import { importanceWeights } from "./importance-weights.js";
import type { EstimatorInputs, RoundwiseEstimate } from "./types.js";
import { assertValidEstimatorInputs } from "./validate-inputs.js";

/**
 * Inverse propensity scoring (IPS, OBP's IPW): V_IPS = mean_i w_i r_i with
 * w_i = pi_e(a_i|x_i) / pi_b(a_i|x_i), optionally clipped at `clip` (bias for variance). Unbiased
 * without clipping when the logged propensities are right and the target has support.
 *
 * @example
 * const r = ips({ k: 2, action, propensity, reward, target });
 * r.estimate; // the target policy's value per round
 */
export function ips(
  inputs: EstimatorInputs,
  options: { clip?: number | undefined; validate?: boolean } = {},
): RoundwiseEstimate {
  if (options.validate ?? true) assertValidEstimatorInputs(inputs);
  const w = importanceWeights(inputs, { clip: options.clip });
  const { reward } = inputs;
  const rounds = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) rounds[i] = reward[i]! * w[i]!;
  return { estimator: "ips", estimate: numpyMean(rounds), rounds };
}
