import { denseMatrix } from "@cia/core";
import type { FittedModel } from "@cia/learners";
import { EffectHead } from "./effect-head.js";
import type { EffectHeadInput } from "./effect-head-input.js";
import { fitBase, type LearnerFactory } from "./learner-factory.js";

/**
 * The S-learner's head: per offer a, one model of y on [1{A = a}, x] over the rows with A in {0, a}
 * (the treatment indicator in column 0, as CausalML's `BaseSRegressor` puts it);
 * tau_a(x) = f(1, x) - f(0, x) at predict time.
 *
 * @example
 * const head = fitSLearner(input, () => new Ridge());
 */
export function fitSLearner(input: EffectHeadInput, learner: LearnerFactory): EffectHead {
  const { x, y, nActions: k, rows } = input;
  const pair: (FittedModel | null)[] = [null];
  const p = x.cols;
  for (let a = 1; a < k; a++) {
    const r0 = rows[0]!;
    const r1 = rows[a]!;
    const m = r0.length + r1.length;
    const aug = denseMatrix(m, p + 1);
    const t = new Float64Array(m);
    let j = 0;
    for (const [r, w] of [
      [r0, 0],
      [r1, 1],
    ] as const) {
      for (let q = 0; q < r.length; q++) {
        const i = r[q]!;
        aug.data[j * (p + 1)] = w;
        aug.data.set(x.data.subarray(i * p, (i + 1) * p), j * (p + 1) + 1);
        t[j++] = y[i]!;
      }
    }
    pair.push(fitBase(learner, aug, t, input.sharedAugmented));
  }
  return new EffectHead("s", k, x.cols, { pair });
}
