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
      out.fill(1 / k, 0, context.n * k);
      return out;
    },
    toJSON: () => ({ kind: "uniform" as const, actions: [...actions] }),
  });
}
