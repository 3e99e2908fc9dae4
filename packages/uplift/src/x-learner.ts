import type { FittedModel } from "@cia/learners";
import { EffectHead, type XCombine } from "./effect-head.js";
import type { EffectHeadInput, EffectHeadOptions } from "./effect-head-input.js";
import { crossFitPseudoOutcomes } from "./cross-fit-pseudo-outcomes.js";
import { fitBase } from "./learner-factory.js";
import { pairRows, requirePairwise, valuesAt } from "./meta-learner-shared.js";
import { stratifiedFolds } from "./sample-splits.js";

/**
 * The X-learner's head (Kuenzel et al. 2019; CausalML's `BaseXRegressor`): outcome models mu_a per
 * arm; imputed effects D1 = y - mu_0(x) on arm a and D0 = mu_a(x) - y on no-offer; effect models
 * tau_1 and tau_0 fitted on them (`effectTreated`, `effectControl`); combined as
 * g tau_0 + (1 - g) tau_1 with g the pairwise propensity (`combine: "propensity"`, default), or with
 * one constant weight per offer chosen by the cross-fitted DR loss ("dr-stack", "dr-select"; see
 * `EffectHeadOptions.combine`).
 *
 * @example
 * const head = fitXLearner(input, { meta: "x", learner: () => new Ridge(), combine: "dr-select" });
 */
export function fitXLearner(input: EffectHeadInput, options: EffectHeadOptions): EffectHead {
  const { x, action, y, nActions: k, rows } = input;
  const learner = options.learner;
  const effectLearner = options.effectLearner ?? learner;
  const xr0 = x.selectRows(rows[0]!);
  const y0 = valuesAt(y, rows[0]!);
  const mu0 = fitBase(learner, xr0, y0, input.shared);
  const effectTreated: (FittedModel | null)[] = [null];
  const effectControl: (FittedModel | null)[] = [null];
  const selecting = options.combine === "dr-stack" || options.combine === "dr-select";
  // Per offer, the full-data outcome model of the other arm at each pair row (mu_0 on arm a, mu_a
  // on no-offer): never fitted on that row, so a valid DR nuisance there.
  const crossArm: Float64Array[] = [new Float64Array(0)];
  for (let a = 1; a < k; a++) {
    const xra = x.selectRows(rows[a]!);
    const ya = valuesAt(y, rows[a]!);
    const mua = fitBase(learner, xra, ya, input.shared);
    const mu0OnA = mu0.predict(xra);
    const muaOn0 = mua.predict(xr0);
    if (selecting) {
      const o = new Float64Array(action.length);
      rows[a]!.forEach((i, j) => {
        o[i] = mu0OnA[j]!;
      });
      rows[0]!.forEach((i, j) => {
        o[i] = muaOn0[j]!;
      });
      crossArm.push(o);
    }
    const d1 = Float64Array.from(ya, (v, j) => v - mu0OnA[j]!);
    const d0 = Float64Array.from(muaOn0, (v, j) => v - y0[j]!);
    effectTreated.push(fitBase(effectLearner, xra, d1, input.shared));
    effectControl.push(fitBase(effectLearner, xr0, d0, input.shared));
  }
  const combine: XCombine = selecting ? stackedCombine(input, options, crossArm) : { kind: "propensity" };
  return new EffectHead("x", k, x.cols, { effectTreated, effectControl }, combine);
}

/**
 * "dr-stack" / "dr-select": per offer, the constant weight c of tau_0 minimizing the out-of-sample
 * DR loss sum (phi - c t0 - (1 - c) t1)^2 (clamped to [0, 1]); "dr-select" keeps it (else null:
 * the propensity combination) only when it beats the propensity combination by one standard error.
 */
function stackedCombine(
  input: EffectHeadInput,
  options: EffectHeadOptions,
  crossArm: Float64Array[],
): XCombine {
  const { action, nActions: k, rows } = input;
  const learner = options.learner;
  const effectLearner = options.effectLearner ?? learner;
  const g = requirePairwise(input);
  const holdout = (options.stackSplit ?? "cross-fit") === "holdout";
  // Holdout: three folds, the models fitted on folds 1-2 and evaluated on fold 0 only.
  const xFolds = holdout ? 3 : Math.max(2, options.crossFitFolds ?? 2);
  const foldOf = stratifiedFolds(rows, action.length, xFolds, options.seed ?? 0, input.groups);
  const r = crossFitPseudoOutcomes(
    input,
    learner,
    foldOf,
    xFolds,
    g,
    { effectLearner, crossArm },
    holdout ? 1 : xFolds,
  );
  const weights: (number | null)[] = [0];
  for (let a = 1; a < k; a++) {
    const pairs = pairRows(rows[0]!, rows[a]!);
    const pr = holdout ? pairs.filter((i) => foldOf[i] === 0) : pairs;
    const t0 = r.t0[a]!;
    const t1 = r.t1[a]!;
    const phi = r.phi[a]!;
    // Normal equations of the constant weight c minimizing sum (phi - c t0 - (1 - c) t1)^2.
    let num = 0;
    let den = 0;
    for (let j = 0; j < pr.length; j++) {
      const i = pr[j]!;
      const d = t0[i]! - t1[i]!;
      num += (phi[i]! - t1[i]!) * d;
      den += d * d;
    }
    const c = den > 0 ? Math.min(1, Math.max(0, num / den)) : 0.5;
    if (options.combine === "dr-stack") {
      weights.push(c);
      continue;
    }
    // One-standard-error rule: per row, the stacked weight's squared DR residual minus the
    // propensity combination's; the stacked weight must win by more than the SE of the mean.
    let sum = 0;
    let sumSq = 0;
    for (let j = 0; j < pr.length; j++) {
      const i = pr[j]!;
      const ga = g[i * k + a]!;
      const es = phi[i]! - c * t0[i]! - (1 - c) * t1[i]!;
      const ep = phi[i]! - ga * t0[i]! - (1 - ga) * t1[i]!;
      const d = es * es - ep * ep;
      sum += d;
      sumSq += d * d;
    }
    const m = pr.length;
    const mean = sum / m;
    const se =
      m > 1 ? Math.sqrt(Math.max(0, (sumSq - m * mean * mean) / (m - 1)) / m) : Number.POSITIVE_INFINITY;
    weights.push(mean < -se ? c : null);
  }
  return { kind: "stacked", weights };
}
