import { CiaError, type DenseMatrix, denseMatrix, type Seed } from "@cia/core";
import type { FittedModel } from "@cia/learners";
import { EffectHead, type XCombine } from "./effect-head.js";
import { type HeadOptions, type LearnerFactory, fitBase } from "./learner-factory.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";
import { numpyKFoldTestFolds } from "./numpy-kfold.js";
import { groupedKFold, stratifiedFolds } from "./sample-splits.js";

/** Training rows of one head fit. */
export interface EffectHeadInput {
  x: DenseMatrix;
  action: Int32Array;
  y: Float64Array;
  nActions: number;
  /** Row indices of each action. */
  rows: Int32Array[];
  /** Training-row pairwise propensities n x K (clipped); needed by DR and the stacked X combination. */
  pairwise: Float64Array | null;
  /** Shared fit options for `x` (and for S's augmented [w, x] matrix). */
  shared?: Record<string, unknown> | undefined;
  sharedAugmented?: Record<string, unknown> | undefined;
  /**
   * The original unit of each row when rows repeat (a bootstrap resample: its drawn indices). Every
   * sample split (DR folds, the stacked X weight's folds) then keeps a unit's copies together;
   * otherwise a copy in the training folds would make the "out-of-sample" rows in-sample.
   */
  groups?: Int32Array | undefined;
}

/** Meta-learner settings of one head. */
export interface EffectHeadOptions extends HeadOptions {
  meta: MetaLearnerKind;
  /**
   * X-learner combination: `"propensity"` (Kuenzel et al.; CausalML) weights the control-arm
   * effect model by g = pi_a / (pi_a + pi_0); `"dr-stack"` picks one constant weight per offer
   * minimizing the cross-fitted doubly robust loss; `"dr-select"` computes that weight too but keeps
   * it for an offer only when it lowers the same cross-fitted DR loss below the propensity
   * combination's by more than one standard error of the per-row loss difference (else that offer
   * keeps the propensity combination). Both refit mu_0, mu_a, tau_1 and tau_0 on the other folds
   * once per fold (with one offer, 4 x `crossFitFolds` extra fits on (folds - 1) / folds of the rows,
   * on top of the 4 full-data fits); the fitted head keeps only the full-data models.
   */
  combine?: "propensity" | "dr-stack" | "dr-select" | undefined;
  /**
   * Folds of the DR-learner's cross-fitting with `drScheme: "cross-fit"` (default 3; the default
   * "rotate" always uses CausalML's three) and of the X "dr-stack" / "dr-select"
   * weights (default 2: 8 extra fits on half the rows instead of 12 on two thirds; the IHDP and
   * CausalML synthetic bench targets hold with either).
   */
  crossFitFolds?: number | undefined;
  /**
   * Where "dr-stack" / "dr-select" get their out-of-sample predictions. `"cross-fit"` (default):
   * the extra models are refitted on the other folds for each of `crossFitFolds` folds (default 2),
   * so the weight and the one-SE test use every row (4 x folds extra fits per offer). `"holdout"`:
   * fitted once on a stratified two thirds of the rows and evaluated on the other third (4 extra
   * fits on 2/3 of the rows): about 2/3 of the cross-fit's extra cost, a third of the rows to
   * judge by (on Hillstrom Womens its choice falls below CausalML's Qini; the cross-fit's does not).
   */
  stackSplit?: "holdout" | "cross-fit" | undefined;
  /**
   * The DR-learner's sample splitting. `"rotate"` (default; CausalML 0.17's `BaseDRRegressor`): the
   * rows (all arms) are cut into three folds by sklearn's `KFold(3, shuffle=True, random_state=0)`;
   * for fold f the outcome models are fitted on fold f + 1 and the effect model f on fold f + 2's
   * pseudo-outcomes (fold f itself would fit propensities, which are given here), so every fit sees
   * a third of the rows; the three effect models are averaged. `"cross-fit"`: K-fold cross-fitting
   * (`crossFitFolds`, default 3) stratified by arm: outcome models fitted on K - 1 folds, one effect
   * model per fold on its out-of-fold pseudo-outcomes (fits on 2/3 of the rows; about 2x the cost).
   */
  drScheme?: "rotate" | "cross-fit" | undefined;
  seed?: Seed | undefined;
}

/**
 * Fit one effect head (S, T, X or DR) for one outcome, every offer against no-offer (action 0).
 *
 * - S: per offer a, one model of y on [1{A = a}, x] over rows with A in {0, a} (CausalML puts w in
 *   column 0); tau = f(1, x) - f(0, x).
 * - T: one outcome model per arm; tau_a = mu_a - mu_0.
 * - X (Kuenzel et al. 2019): outcome models per arm; imputed effects D1 = y - mu_0(x) on arm a and
 *   D0 = mu_a(x) - y on no-offer; effect models tau_1 and tau_0 fitted on them; combined as
 *   g tau_0 + (1 - g) tau_1.
 * - DR (Kennedy 2020): outcome models fitted on other rows give pseudo-outcomes
 *   mu_a - mu_0 + (w - g) / (g (1 - g)) (y - mu_w) on the rows with A in {0, a}; one effect model
 *   per fold regresses them on x and the models are averaged. By default CausalML's three-fold
 *   rotation (outcome models on one third, effect model on the next); `drScheme: "cross-fit"` for
 *   K-fold cross-fitting.
 *
 * @example
 * const head = fitEffectHead({ x, action, y, nActions: 3, rows, pairwise: null }, { meta: "t", learner: () => new Ridge() });
 */
export function fitEffectHead(input: EffectHeadInput, options: EffectHeadOptions): EffectHead {
  const { x, action, y, nActions: k, rows } = input;
  for (let a = 0; a < k; a++) {
    if (rows[a]!.length === 0) {
      throw new CiaError("insufficient_support", `action ${a} has no training rows`, { action: a });
    }
  }
  const learner = options.learner;
  const effectLearner = options.effectLearner ?? learner;
  const sub = (idx: Int32Array): DenseMatrix => x.selectRows(idx);
  const pick = (v: Float64Array, idx: Int32Array): Float64Array => {
    const out = new Float64Array(idx.length);
    for (let j = 0; j < idx.length; j++) out[j] = v[idx[j]!]!;
    return out;
  };
  const fitOne = (f: LearnerFactory, m: DenseMatrix, t: Float64Array): FittedModel =>
    fitBase(f, m, t, input.shared);

  if (options.meta === "t") {
    const outcome = rows.map((r) => fitOne(learner, sub(r), pick(y, r)));
    return new EffectHead("t", k, x.cols, { outcome });
  }
  if (options.meta === "s") {
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
  const folds = Math.max(2, options.crossFitFolds ?? 3);
  if (options.meta === "dr" && (options.drScheme ?? "rotate") === "rotate") {
    return fitDrRotate(input, learner, effectLearner);
  }
  if (options.meta === "dr") {
    const g = requirePairwise(input);
    const foldOf = stratifiedFolds(rows, action.length, folds, options.seed ?? 0, input.groups);
    const phi = crossFitPseudo(input, learner, foldOf, folds, g).phi;
    // One effect model per fold, fitted on that fold's pseudo-outcomes (whose nuisances never saw
    // those rows) and averaged at predict time, as CausalML's DR-learner averages its three.
    const models: Record<string, (FittedModel | null)[]> = {};
    for (let f = 0; f < folds; f++) {
      const effect: (FittedModel | null)[] = [null];
      for (let a = 1; a < k; a++) {
        const pr = pairRows(rows[0]!, rows[a]!).filter((i) => foldOf[i] === f);
        effect.push(fitOne(effectLearner, sub(pr), pick(phi[a]!, pr)));
      }
      models[`effect/${f}`] = effect;
    }
    return new EffectHead("dr", k, x.cols, models);
  }
  // X-learner.
  const xr0 = sub(rows[0]!);
  const y0 = pick(y, rows[0]!);
  const mu0 = fitOne(learner, xr0, y0);
  const effectTreated: (FittedModel | null)[] = [null];
  const effectControl: (FittedModel | null)[] = [null];
  const selecting = options.combine === "dr-stack" || options.combine === "dr-select";
  // Per offer, the full-data outcome model of the other arm at each pair row (mu_0 on arm a, mu_a
  // on no-offer): never fitted on that row, so a valid DR nuisance there.
  const crossArm: Float64Array[] = [new Float64Array(0)];
  for (let a = 1; a < k; a++) {
    const xra = sub(rows[a]!);
    const ya = pick(y, rows[a]!);
    const mua = fitOne(learner, xra, ya);
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
    effectTreated.push(fitOne(effectLearner, xra, d1));
    effectControl.push(fitOne(effectLearner, xr0, d0));
  }
  let combine: XCombine = { kind: "propensity" };
  if (selecting) {
    const g = requirePairwise(input);
    const holdout = (options.stackSplit ?? "cross-fit") === "holdout";
    // Holdout: three folds, the models fitted on folds 1-2 and evaluated on fold 0 only.
    const xFolds = holdout ? 3 : Math.max(2, options.crossFitFolds ?? 2);
    const foldOf = stratifiedFolds(rows, action.length, xFolds, options.seed ?? 0, input.groups);
    const r = crossFitPseudo(
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
    combine = { kind: "stacked", weights };
  }
  return new EffectHead("x", k, x.cols, { effectTreated, effectControl }, combine);
}

/**
 * CausalML 0.17's DR-learner split, operation for operation: KFold(3, shuffle, seed 0) folds over
 * all rows; for fold f, mu_0 on fold f + 1's no-offer rows and mu_a on its arm-a rows, then on fold
 * f + 2's rows with A in {0, a} (ascending row order) the pseudo-outcome
 * (w - p) / p / (1 - p) * (y - mu_a w - mu_0 (1 - w)) + mu_a - mu_0 and the effect model `effect/f`.
 */
function fitDrRotate(
  input: EffectHeadInput,
  learner: LearnerFactory,
  effectLearner: LearnerFactory,
): EffectHead {
  const { x, action, y, nActions: k } = input;
  const g = requirePairwise(input);
  const n = action.length;
  if (n < 3)
    throw new CiaError("insufficient_support", `the DR-learner needs at least 3 rows, got ${n}`, { n });
  const split = input.groups ? groupedKFold(input.groups, 3) : numpyKFoldTestFolds(n, 3, 0);
  const fitOn = (f: LearnerFactory, idx: Int32Array, t: Float64Array): FittedModel =>
    fitBase(f, x.selectRows(idx), t, input.shared);
  const armRows = (fold: Int32Array, a: number): Int32Array => fold.filter((i) => action[i] === a);
  const models: Record<string, (FittedModel | null)[]> = {};
  for (let f = 0; f < 3; f++) {
    const outcome = split[(f + 1) % 3]!;
    const tau = split[(f + 2) % 3]!;
    const o0 = armRows(outcome, 0);
    if (o0.length === 0)
      throw new CiaError("insufficient_support", `DR fold ${(f + 1) % 3} has no no-offer rows`, { fold: f });
    const mu0 = fitOn(
      learner,
      o0,
      Float64Array.from(o0, (i) => y[i]!),
    );
    const effect: (FittedModel | null)[] = [null];
    for (let a = 1; a < k; a++) {
      const oa = armRows(outcome, a);
      if (oa.length === 0)
        throw new CiaError("insufficient_support", `DR fold ${(f + 1) % 3} has no rows of action ${a}`, {
          fold: f,
          action: a,
        });
      const mua = fitOn(
        learner,
        oa,
        Float64Array.from(oa, (i) => y[i]!),
      );
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

function requirePairwise(input: EffectHeadInput): Float64Array {
  if (!input.pairwise)
    throw new CiaError("missing_propensity", "this learner needs training propensities", {});
  return input.pairwise;
}

function pairRows(r0: Int32Array, ra: Int32Array): Int32Array {
  const out = new Int32Array(r0.length + ra.length);
  out.set(r0);
  out.set(ra, r0.length);
  return out.sort();
}

/**
 * Cross-fitted DR pseudo-outcomes phi[a] (length n; set on the rows with A in {0, a}) from outcome
 * models fitted on the other folds. With `xl.effectLearner`, also the X-learner's out-of-fold effect
 * predictions t0, t1 on the same rows: per fold, tau_1 and tau_0 refitted on the other folds'
 * imputed effects (from those folds' outcome models), so no model behind a row's t0, t1 or phi saw
 * that row's outcome. With `xl.crossArm` (per offer, length n: the full-data mu_0 on arm-a rows and
 * mu_a on no-offer rows), phi takes the other arm's outcome model from it instead of predicting the
 * fold's one: that model was never fitted on the row's arm, so it is out of sample there too.
 */
function crossFitPseudo(
  input: EffectHeadInput,
  learner: LearnerFactory,
  foldOf: Int32Array,
  folds: number,
  g: Float64Array,
  xl?: { effectLearner: LearnerFactory; crossArm: Float64Array[] },
  evalFolds: number = folds,
): { phi: Float64Array[]; t0: Float64Array[]; t1: Float64Array[] } {
  const { x, action, y, nActions: k, rows } = input;
  const n = action.length;
  const phi = Array.from({ length: k }, () => new Float64Array(n));
  // Out-of-fold X effect models' predictions per offer (filled only for the X-learner).
  const t0 = xl ? Array.from({ length: k }, () => new Float64Array(n)) : [];
  const t1 = xl ? Array.from({ length: k }, () => new Float64Array(n)) : [];
  const fitOn = (f: LearnerFactory, m: DenseMatrix, t: Float64Array): FittedModel =>
    fitBase(f, m, t, input.shared);
  const pick = (idx: Int32Array, v: ArrayLike<number>): Float64Array => Float64Array.from(idx, (i) => v[i]!);
  // Folds 0..evalFolds-1 are evaluated (each by models fitted on all other folds).
  for (let f = 0; f < evalFolds; f++) {
    const tr0 = rows[0]!.filter((i) => foldOf[i] !== f);
    const x0 = x.selectRows(tr0);
    const y0 = pick(tr0, y);
    const mu0 = fitOn(learner, x0, y0);
    // mu_0 on the fold's no-offer rows, shared by every offer's pseudo-outcomes.
    const ev0 = rows[0]!.filter((i) => foldOf[i] === f);
    const mu0On0 = mu0.predict(x.selectRows(ev0));
    for (let a = 1; a < k; a++) {
      const tra = rows[a]!.filter((i) => foldOf[i] !== f);
      const xa = x.selectRows(tra);
      const ya = pick(tra, y);
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
        mu0OnA = pick(eva, cross);
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
