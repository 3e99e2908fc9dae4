import { CiaError } from "@cia/core";
import { fitDrLearner } from "./dr-learner.js";
import type { EffectHead } from "./effect-head.js";
import type { EffectHeadInput, EffectHeadOptions } from "./effect-head-input.js";
import { fitSLearner } from "./s-learner.js";
import { fitTLearner } from "./t-learner.js";
import { fitXLearner } from "./x-learner.js";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * Fit one effect head (S, T, X or DR) for one outcome, every offer against no-offer (action 0).
 * Each meta-learner lives in its own file, as CausalML keeps them:
 *
 * - S (`s-learner.ts`): per offer a, one model of y on [1{A = a}, x] over rows with A in {0, a}
 *   (CausalML puts w in column 0); tau = f(1, x) - f(0, x).
 * - T (`t-learner.ts`): one outcome model per arm; tau_a = mu_a - mu_0.
 * - X (`x-learner.ts`, Kuenzel et al. 2019): outcome models per arm; imputed effects
 *   D1 = y - mu_0(x) on arm a and D0 = mu_a(x) - y on no-offer; effect models tau_1 and tau_0
 *   fitted on them; combined as g tau_0 + (1 - g) tau_1.
 * - DR (`dr-learner.ts`, Kennedy 2020): outcome models fitted on other rows give pseudo-outcomes
 *   mu_a - mu_0 + (w - g) / (g (1 - g)) (y - mu_w) on the rows with A in {0, a}; one effect model
 *   per fold regresses them on x and the models are averaged. By default CausalML's three-fold
 *   rotation (outcome models on one third, effect model on the next; fold shuffle `drRotationSeed`,
 *   default 0 as CausalML); `drScheme: "cross-fit"` for K-fold cross-fitting.
 *
 * @example
 * const head = fitEffectHead({ x, action, y, nActions: 3, rows, pairwise: null }, { meta: "t", learner: () => new Ridge() });
 */
export function fitEffectHead(input: EffectHeadInput, options: EffectHeadOptions): EffectHead {
  for (let a = 0; a < input.nActions; a++) {
    if (input.rows[a]!.length === 0) {
      throw new CiaError<UpliftErrorCode>("insufficient_support", `action ${a} has no training rows`, {
        action: a,
      });
    }
  }
  switch (options.meta) {
    case "s":
      return fitSLearner(input, options.learner);
    case "t":
      return fitTLearner(input, options.learner);
    case "x":
      return fitXLearner(input, options);
    case "dr":
      return fitDrLearner(input, options);
  }
}
