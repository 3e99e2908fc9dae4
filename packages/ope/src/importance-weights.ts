import type { EstimatorInputs } from "./types.js";

/**
 * Importance weights w_i = pi_e(a_i | x_i) / pi_b(a_i | x_i), optionally clipped at `clip`
 * (w_i <- min(w_i, clip), OBP's `lambda_`). Inputs are assumed valid (see
 * `validateEstimatorInputs`).
 *
 * @example
 * const w = importanceWeights({ k: 2, action, propensity, reward, target }, { clip: 20 });
 */
export function importanceWeights(
  inputs: Pick<EstimatorInputs, "k" | "action" | "propensity" | "target">,
  options: { clip?: number | undefined } = {},
): Float64Array {
  const { k, action, propensity, target } = inputs;
  const clip = options.clip ?? Number.POSITIVE_INFINITY;
  if (!(clip >= 0)) throw new RangeError(`clip must be >= 0, got ${clip}`);
  const n = action.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = target[i * k + action[i]!]! / propensity[i]!;
    w[i] = Math.min(v, clip);
  }
  return w;
}
