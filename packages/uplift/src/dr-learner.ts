import { CiaError } from "@cia/core";
import { numpyKFoldTestFolds } from "@cia/core/parity";
import type { FittedModel } from "@cia/learners";
import { EffectHead } from "./effect-head.js";
import type { EffectHeadInput, EffectHeadOptions } from "./effect-head-input.js";
import { crossFitPseudoOutcomes } from "./cross-fit-pseudo-outcomes.js";
import { fitBase, type LearnerFactory } from "./learner-factory.js";
import { fitOnRows, pairRows, requirePairwise, valuesAt } from "./meta-learner-shared.js";
import { groupedKFold, stratifiedFolds } from "./sample-splits.js";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * CausalML 0.17's fixed `random_state` of the DR-learner's `KFold(3, shuffle=True)`: the default of
 * `drRotationSeed`, with which the rotation reproduces CausalML's folds (and predictions) exactly.
 */
export const CAUSALML_DR_ROTATION_SEED = 0;

/**
 * The DR-learner's head (Kennedy 2020): outcome models fitted on other rows give pseudo-outcomes
 * mu_a - mu_0 + (w - g) / (g (1 - g)) (y - mu_w) on the rows with A in {0, a}; one effect model per
 * fold regresses them on x and the fold models are averaged at predict time (`effect/f` roles).
 * `drScheme: "rotate"` (default) is CausalML's three-fold rotation with `drRotationSeed` (default
 * `CAUSALML_DR_ROTATION_SEED`); `"cross-fit"` is K-fold cross-fitting stratified by arm.
 *
 * @example
 * const head = fitDrLearner(input, { meta: "dr", learner: () => new Ridge() });
 */
export function fitDrLearner(input: EffectHeadInput, options: EffectHeadOptions): EffectHead {
  const learner = options.learner;
  const effectLearner = options.effectLearner ?? learner;
  if ((options.drScheme ?? "rotate") === "rotate") {
    return fitDrRotate(input, learner, effectLearner, options.drRotationSeed ?? CAUSALML_DR_ROTATION_SEED);
  }
  const { action, nActions: k, rows } = input;
  const folds = Math.max(2, options.crossFitFolds ?? 3);
  const g = requirePairwise(input);
  const foldOf = stratifiedFolds(rows, action.length, folds, options.seed ?? 0, input.groups);
  const phi = crossFitPseudoOutcomes(input, learner, foldOf, folds, g).phi;
  // One effect model per fold, fitted on that fold's pseudo-outcomes (whose nuisances never saw
  // those rows) and averaged at predict time, as CausalML's DR-learner averages its three.
  const models: Record<string, (FittedModel | null)[]> = {};
  for (let f = 0; f < folds; f++) {
    const effect: (FittedModel | null)[] = [null];
    for (let a = 1; a < k; a++) {
      const pr = pairRows(rows[0]!, rows[a]!).filter((i) => foldOf[i] === f);
      effect.push(fitOnRows(effectLearner, input, pr, valuesAt(phi[a]!, pr)));
    }
    models[`effect/${f}`] = effect;
  }
  return new EffectHead("dr", k, input.x.cols, models);
}

/**
 * CausalML 0.17's DR-learner split, operation for operation: KFold(3, shuffle, `seed`) folds over
 * all rows; for fold f, mu_0 on fold f + 1's no-offer rows and mu_a on its arm-a rows, then on fold
 * f + 2's rows with A in {0, a} (ascending row order) the pseudo-outcome
 * (w - p) / p / (1 - p) * (y - mu_a w - mu_0 (1 - w)) + mu_a - mu_0 and the effect model `effect/f`.
 */
function fitDrRotate(
  input: EffectHeadInput,
  learner: LearnerFactory,
  effectLearner: LearnerFactory,
  seed: number,
): EffectHead {
  const { x, action, y, nActions: k } = input;
  const g = requirePairwise(input);
  const n = action.length;
  if (n < 3)
    throw new CiaError<UpliftErrorCode>(
      "insufficient_support",
      `the DR-learner needs at least 3 rows, got ${n}`,
      { n },
    );
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new CiaError<UpliftErrorCode>(
      "invalid_option",
      `drRotationSeed must be an integer in [0, 2^32 - 1], got ${seed}`,
      {
        drRotationSeed: seed,
      },
    );
  const split = input.groups
    ? groupedKFold(input.groups, 3, { randomState: seed })
    : numpyKFoldTestFolds(n, 3, seed);
  const armRows = (fold: Int32Array, a: number): Int32Array => fold.filter((i) => action[i] === a);
  const models: Record<string, (FittedModel | null)[]> = {};
  for (let f = 0; f < 3; f++) {
    const outcome = split[(f + 1) % 3]!;
    const tau = split[(f + 2) % 3]!;
    const o0 = armRows(outcome, 0);
    if (o0.length === 0)
      throw new CiaError<UpliftErrorCode>(
        "insufficient_support",
        `DR fold ${(f + 1) % 3} has no no-offer rows`,
        { fold: f },
      );
    const mu0 = fitOnRows(learner, input, o0, valuesAt(y, o0));
    const effect: (FittedModel | null)[] = [null];
    for (let a = 1; a < k; a++) {
      const oa = armRows(outcome, a);
      if (oa.length === 0)
        throw new CiaError<UpliftErrorCode>(
          "insufficient_support",
          `DR fold ${(f + 1) % 3} has no rows of action ${a}`,
          {
            fold: f,
            action: a,
          },
        );
      const mua = fitOnRows(learner, input, oa, valuesAt(y, oa));
      const tr = tau.filter((i) => action[i] === a || action[i] === 0);
      const xt = x.selectRows(tr);
      const muT = mua.predict(xt);
      const muC = mu0.predict(xt);
      const dr = new Float64Array(tr.length);
      for (let j = 0; j < tr.length; j++) {
        const i = tr[j]!;
        const w = action[i] === a ? 1 : 0;
        const p = g[i * k + a]!;
        const mt = muT[j]!;
        const mc = muC[j]!;
        // CausalML's expression in its evaluation order (bit-identical pseudo-outcomes).
        dr[j] = ((w - p) / p / (1 - p)) * (y[i]! - mt * w - mc * (1 - w)) + mt - mc;
      }
      effect.push(fitBase(effectLearner, xt, dr, input.shared));
    }
    models[`effect/${f}`] = effect;
  }
  return new EffectHead("dr", k, x.cols, models);
}
