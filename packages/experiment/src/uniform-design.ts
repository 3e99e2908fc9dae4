import { checkActions } from "./check-actions.js";
import type { Design, DesignContext } from "./design.js";

/**
 * Uniform exploration: every unit gets each action, no-offer included, with probability 1/K.
 *
 * @example
 * const d = uniformDesign({ actions: ["control", "credit_5", "credit_10"] });
 * d.probabilities({ n: 2 }); // Float64Array [1/3, 1/3, 1/3, 1/3, 1/3, 1/3]
 */
export function uniformDesign(options: { actions: readonly string[] }): Design {
  const actions = Object.freeze(checkActions(options.actions));
  const k = actions.length;
  return Object.freeze({
    kind: "uniform" as const,
    actions,
    minProbability: 1 / k,
    probabilities(context: DesignContext, out = new Float64Array(context.n * k)): Float64Array {
      // A plain loop: TypedArray#fill measured several times slower here on large arrays.
      const m = context.n * k;
      const v = 1 / k;
      for (let j = 0; j < m; j++) out[j] = v;
      return out;
    },
    toJSON: () => ({ kind: "uniform" as const, actions: [...actions] }),
  });
}
