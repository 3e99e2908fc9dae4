import { numpyMean } from "@cia/core/parity";
import { importanceWeights } from "./importance-weights.js";
import type { EstimatorInputs, RoundwiseEstimate } from "./types.js";
import { assertValidEstimatorInputs } from "./validate-inputs.js";

/**
 * Self-normalized IPS (SNIPS, OBP's SNIPW, the Hajek estimator): sum_i w_i r_i / sum_i w_i.
 * Computed as OBP does, per round (w_i r_i) / mean(w), then averaged, so the estimate equals OBP's
 * to the last bit (the algebraically equal mean(w r) / mean(w) can differ by an ulp). The
 * per-round terms are normalized once by the full-sample mean weight, as in OBP's bootstrap.
 * Biased (O(1/n)) but bounded by the reward range and often far less variable than IPS.
 *
 * @example
 * snips({ k, action, propensity, reward, target }).estimate;
 */
export function snips(
  inputs: EstimatorInputs,
  options: { clip?: number | undefined; validate?: boolean } = {},
): RoundwiseEstimate {
  if (options.validate ?? true) assertValidEstimatorInputs(inputs);
  const w = importanceWeights(inputs, { clip: options.clip });
  const meanW = numpyMean(w);
  const { reward } = inputs;
  const rounds = new Float64Array(w.length);
  // All weights zero means the target never agrees with the log: the estimate is undefined.
  for (let i = 0; i < w.length; i++) rounds[i] = (reward[i]! * w[i]!) / meanW;
  return { estimator: "snips", estimate: numpyMean(rounds), rounds };
}
