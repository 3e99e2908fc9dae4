import { EffectHead } from "./effect-head.js";
import type { EffectHeadInput } from "./effect-head-input.js";
import type { LearnerFactory } from "./learner-factory.js";
import { fitOnRows, valuesAt } from "./meta-learner-shared.js";

/**
 * The T-learner's head: one outcome model mu_a per arm on that arm's rows (CausalML's
 * `BaseTRegressor`); tau_a(x) = mu_a(x) - mu_0(x) at predict time.
 *
 * @example
 * const head = fitTLearner(input, () => new Ridge());
 */
export function fitTLearner(input: EffectHeadInput, learner: LearnerFactory): EffectHead {
  const outcome = input.rows.map((r) => fitOnRows(learner, input, r, valuesAt(input.y, r)));
  return new EffectHead("t", input.nActions, input.x.cols, { outcome });
}
