import { CiaError } from "@cia/core";
import { checkActions } from "./check-actions.js";
import type { Design, DesignContext } from "./design.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * Warm-start skewed exploration (lessons 10 and 15): exploration tilted toward high-value,
 * low-cost actions by a prior score, with a floor so every action keeps support.
 *
 *   p_a(x) = epsilon + (1 - K * epsilon) * softmax_a(score_a(x) / temperature)
 *
 * Why it is safe for estimation: the softmax term is >= 0, so p_a(x) >= epsilon for every unit
 * and action, hence every importance weight 1 / p_a(x) <= 1 / epsilon (and any target policy's
 * ratio pi_e / p <= 1 / epsilon). The probabilities sum to K * epsilon + (1 - K * epsilon) = 1.
 * `epsilon` must lie in (0, 1/K]; epsilon = 1/K is uniform exploration. Large temperature also
 * tends to uniform; small temperature concentrates the remaining mass on the best-scored action.
 *
 * @example
 * const d = warmStartDesign({ actions: ["control", "credit_5", "credit_10"], temperature: 1, epsilon: 0.05 });
 * // score: n x K, e.g. predicted value lift - lambda * predicted credit (0 for control)
 * d.probabilities({ n: 1, score: [0, 2, -1] }); // tilted toward credit_5, each >= 0.05
 */
export function warmStartDesign(options: {
  actions: readonly string[];
  temperature?: number;
  epsilon: number;
}): Design {
  const actions = Object.freeze(checkActions(options.actions));
  const k = actions.length;
  const temperature = options.temperature ?? 1;
  const epsilon = options.epsilon;
  if (!(temperature > 0 && Number.isFinite(temperature))) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_design",
      `temperature must be a positive finite number, got ${temperature}`,
    );
  }
  if (!(epsilon > 0 && epsilon <= 1 / k)) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_design",
      `epsilon must be in (0, 1/K] = (0, ${1 / k}], got ${epsilon}`,
      {
        epsilon,
        k,
      },
    );
  }
  const rest = 1 - k * epsilon;
  return Object.freeze({
    kind: "warm_start" as const,
    actions,
    minProbability: epsilon,
    probabilities(context: DesignContext, out = new Float64Array(context.n * k)): Float64Array {
      const score = context.score;
      const n = context.n;
      if (!score || score.length < n * k) {
        throw new CiaError<ExperimentErrorCode>(
          "missing_score",
          "a warm-start design needs context.score, n x K row-major",
        );
      }
      for (let i = 0; i < n; i++) {
        const o = i * k;
        // Subtract the row maximum before exponentiating so large scores cannot overflow.
        let max = Number.NEGATIVE_INFINITY;
        for (let a = 0; a < k; a++) {
          const s = score[o + a]!;
          if (!Number.isFinite(s)) {
            throw new CiaError<ExperimentErrorCode>(
              "invalid_score",
              `score of unit ${i}, action ${a} is ${s}`,
              {
                unit: i,
                action: a,
              },
            );
          }
          if (s > max) max = s;
        }
        let z = 0;
        for (let a = 0; a < k; a++) {
          const e = Math.exp((score[o + a]! - max) / temperature);
          out[o + a] = e;
          z += e;
        }
        for (let a = 0; a < k; a++) out[o + a] = epsilon + (rest * out[o + a]!) / z;
      }
      return out;
    },
    toJSON: () => ({ kind: "warm_start" as const, actions: [...actions], temperature, epsilon }),
  });
}
