import type { DenseMatrix } from "@cia/core";
import type { FittedModel } from "@cia/learners";
import type { EffectHeadInput } from "./effect-head-input.js";
import { fitBase, type LearnerFactory } from "./learner-factory.js";
import { valuesAt } from "./meta-learner-shared.js";

/** Cross-fitted DR pseudo-outcomes `phi` and, for the X-learner, its out-of-fold effect predictions `t0`, `t1` (each per offer, length n). */
export interface CrossFitPseudoOutcomes {
  phi: Float64Array[];
  t0: Float64Array[];
  t1: Float64Array[];
}

/** The X-learner's part of a cross-fit: its effect learner and the full-data cross-arm outcome predictions. */
export interface XCrossFit {
  effectLearner: LearnerFactory;
  crossArm: Float64Array[];
}

/**
 * Cross-fitted DR pseudo-outcomes phi[a] (length n; set on the rows with A in {0, a}) from outcome
 * models fitted on the other folds. With `xl.effectLearner`, also the X-learner's out-of-fold effect
 * predictions t0, t1 on the same rows: per fold, tau_1 and tau_0 refitted on the other folds'
 * imputed effects (from those folds' outcome models), so no model behind a row's t0, t1 or phi saw
 * that row's outcome. With `xl.crossArm` (per offer, length n: the full-data mu_0 on arm-a rows and
 * mu_a on no-offer rows), phi takes the other arm's outcome model from it instead of predicting the
 * fold's one: that model was never fitted on the row's arm, so it is out of sample there too.
 * Folds 0..evalFolds-1 are evaluated (each by models fitted on all other folds).
 *
 * Used by the DR-learner's `drScheme: "cross-fit"` and by the X-learner's "dr-stack" / "dr-select".
 *
 * @example
 * const { phi } = crossFitPseudoOutcomes(input, learner, foldOf, 3, g);
 */
export function crossFitPseudoOutcomes(
  input: EffectHeadInput,
  learner: LearnerFactory,
  foldOf: Int32Array,
  folds: number,
  g: Float64Array,
  xl?: XCrossFit,
  evalFolds: number = folds,
): CrossFitPseudoOutcomes {
  const { x, action, y, nActions: k, rows } = input;
  const n = action.length;
  const phi = Array.from({ length: k }, () => new Float64Array(n));
  // Out-of-fold X effect models' predictions per offer (filled only for the X-learner).
  const t0 = xl ? Array.from({ length: k }, () => new Float64Array(n)) : [];
  const t1 = xl ? Array.from({ length: k }, () => new Float64Array(n)) : [];
  const fitOn = (f: LearnerFactory, m: DenseMatrix, t: Float64Array): FittedModel =>
    fitBase(f, m, t, input.shared);
  for (let f = 0; f < evalFolds; f++) {
    const tr0 = rows[0]!.filter((i) => foldOf[i] !== f);
    const x0 = x.selectRows(tr0);
    const y0 = valuesAt(y, tr0);
    const mu0 = fitOn(learner, x0, y0);
    // mu_0 on the fold's no-offer rows, shared by every offer's pseudo-outcomes.
    const ev0 = rows[0]!.filter((i) => foldOf[i] === f);
    const mu0On0 = mu0.predict(x.selectRows(ev0));
    for (let a = 1; a < k; a++) {
      const tra = rows[a]!.filter((i) => foldOf[i] !== f);
      const xa = x.selectRows(tra);
      const ya = valuesAt(y, tra);
      const mua = fitOn(learner, xa, ya);
      // The fold's rows of this pair: its no-offer rows (as ev0), then its arm-a rows.
      const eva = rows[a]!.filter((i) => foldOf[i] === f);
      const ev = new Int32Array(ev0.length + eva.length);
      ev.set(ev0);
      ev.set(eva, ev0.length);
      const xeva = x.selectRows(eva);
      const cross = xl?.crossArm[a];
      // mu_a on the pair's fold rows and mu_0 on its arm-a fold rows.
      let muaOn: Float64Array;
      let mu0OnA: Float64Array;
      if (cross) {
        muaOn = new Float64Array(ev.length);
        for (let j = 0; j < ev0.length; j++) muaOn[j] = cross[ev0[j]!]!;
        muaOn.set(mua.predict(xeva), ev0.length);
        mu0OnA = valuesAt(cross, eva);
      } else {
        muaOn = mua.predict(x.selectRows(ev));
        mu0OnA = mu0.predict(xeva);
      }
      let t1f: Float64Array | null = null;
      let t0f: Float64Array | null = null;
      if (xl) {
        const d1 = mu0.predict(xa);
        for (let j = 0; j < d1.length; j++) d1[j] = ya[j]! - d1[j]!;
        const d0 = mua.predict(x0);
        for (let j = 0; j < d0.length; j++) d0[j] = d0[j]! - y0[j]!;
        const xf = x.selectRows(ev);
        t1f = fitOn(xl.effectLearner, xa, d1).predict(xf);
        t0f = fitOn(xl.effectLearner, x0, d0).predict(xf);
      }
      for (let j = 0; j < ev.length; j++) {
        const i = ev[j]!;
        const w = j >= ev0.length ? 1 : 0;
        const ga = g[i * k + a]!;
        const mu0i = w ? mu0OnA[j - ev0.length]! : mu0On0[j]!;
        const muw = w ? muaOn[j]! : mu0i;
        phi[a]![i] = muaOn[j]! - mu0i + ((w - ga) / (ga * (1 - ga))) * (y[i]! - muw);
        if (t1f && t0f) {
          t0[a]![i] = t0f[j]!;
          t1[a]![i] = t1f[j]!;
        }
      }
    }
  }
  return { phi, t0, t1 };
}
