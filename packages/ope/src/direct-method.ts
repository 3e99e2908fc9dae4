import { numpyMean, pairwiseDot, pairwiseRowSum } from "@cia/core/parity";
import type { EstimatorInputs, RoundwiseEstimate } from "./types.js";
import { assertValidEstimatorInputs } from "./validate-inputs.js";

/**
 * Per-round DM terms q_hat(x_i, pi_e) = sum_a pi_e(a|x_i) q_hat(x_i, a) / sum_a pi_e(a|x_i), computed
 * as OBP does (`np.average(q_hat, weights=pi_e, axis=1)`: pairwise sums of the products and of the
 * weights). The denominator is 1 up to rounding; dividing by it is what makes the bits agree.
 */
export function directMethodRounds(
  target: Float64Array,
  qHat: Float64Array,
  k: number,
  n: number,
): Float64Array {
  const out = new Float64Array(n);
  if (k === 1) {
    for (let i = 0; i < n; i++) out[i] = (qHat[i]! * target[i]!) / target[i]!;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const off = i * k;
    out[i] = pairwiseDot(qHat, target, off, k) / pairwiseRowSum(target, off, k);
  }
  return out;
}

/**
 * Direct method (DM): V_DM = mean_i sum_a pi_e(a|x_i) q_hat(x_i, a). Unbiased only when the reward
 * model is; no importance weights, so it needs no support but inherits the model's bias.
 *
 * @example
 * const dm = directMethod({ k, action, propensity, reward, target, qHat });
 * dm.estimate; // policy value; dm.rounds holds the per-round terms
 */
export function directMethod(
  inputs: EstimatorInputs,
  options: { validate?: boolean } = {},
): RoundwiseEstimate {
  if (options.validate ?? true) assertValidEstimatorInputs(inputs, { requireQHat: true });
  const n = inputs.action.length;
  const rounds = directMethodRounds(inputs.target, inputs.qHat!, inputs.k, n);
  return { estimator: "dm", estimate: numpyMean(rounds), rounds };
}
