import { CiaError, type DenseMatrix, createRng, denseMatrix, type Seed } from "@cia/core";
import type { FittedModel } from "@cia/learners";
import { EffectHead, type XCombine } from "./effect-head.js";
import { type HeadOptions, type LearnerFactory, fitBase } from "./learner-factory.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";

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
}

/** Meta-learner settings of one head. */
export interface EffectHeadOptions extends HeadOptions {
  meta: MetaLearnerKind;
  /**
   * X-learner combination: `"propensity"` (Kuenzel et al.; CausalML) weights the control-arm
   * effect model by g = pi_a / (pi_a + pi_0); `"dr-stack"` picks one constant weight per offer
   * minimizing the cross-fitted doubly robust loss (costs `crossFitFolds` extra fits of each model);
   * `"dr-select"` computes that weight too but keeps it for an offer only when it lowers the same
   * cross-fitted DR loss below the propensity combination's by more than one standard error of the
   * per-row loss difference (else that offer keeps the propensity combination).
   */
  combine?: "propensity" | "dr-stack" | "dr-select" | undefined;
  /** Folds for the DR-learner's cross-fitting and the X "dr-stack" weights; default 3. */
  crossFitFolds?: number | undefined;
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
 * - DR (Kennedy 2020): K-fold cross-fitted outcome models (fitted on K - 1 folds) give pseudo-outcomes
 *   mu_a - mu_0 + (w - g) / (g (1 - g)) (y - mu_w) on the rows with A in {0, a}; one effect model
 *   per fold regresses them on x and the K models are averaged.
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
  if (options.meta === "dr") {
    const g = requirePairwise(input);
    const foldOf = stratifiedFolds(rows, action.length, folds, options.seed ?? 0);
    const phi = crossFitPseudo(input, learner, foldOf, folds, g, false).phi;
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
  for (let a = 1; a < k; a++) {
    const xra = sub(rows[a]!);
    const ya = pick(y, rows[a]!);
    const mua = fitOne(learner, xra, ya);
    const d1 = mu0.predict(xra);
    for (let j = 0; j < d1.length; j++) d1[j] = ya[j]! - d1[j]!;
    const d0 = mua.predict(xr0);
    for (let j = 0; j < d0.length; j++) d0[j] = d0[j]! - y0[j]!;
    effectTreated.push(fitOne(effectLearner, xra, d1));
    effectControl.push(fitOne(effectLearner, xr0, d0));
  }
  let combine: XCombine = { kind: "propensity" };
  if (options.combine === "dr-stack" || options.combine === "dr-select") {
    const g = requirePairwise(input);
    const foldOf = stratifiedFolds(rows, action.length, folds, options.seed ?? 0);
    const r = crossFitPseudo(input, learner, foldOf, folds, g, true, effectLearner);
    const weights: (number | null)[] = [0];
    for (let a = 1; a < k; a++) {
      const s = r.stack[a]!;
      const c = s[1] > 0 ? Math.min(1, Math.max(0, s[0] / s[1])) : 0.5;
      if (options.combine === "dr-stack") {
        weights.push(c);
        continue;
      }
      // One-standard-error rule: per row, the stacked weight's squared DR residual minus the
      // propensity combination's; the stacked weight must win by more than the SE of the mean.
      const pr = pairRows(rows[0]!, rows[a]!);
      const t0 = r.t0[a]!;
      const t1 = r.t1[a]!;
      const phi = r.phi[a]!;
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

/** Fold of every row: each action's rows shuffled and dealt round-robin, so every fold has every arm. */
function stratifiedFolds(rows: Int32Array[], n: number, folds: number, seed: Seed): Int32Array {
  const rng = createRng(seed).split("cross-fit");
  const out = new Int32Array(n);
  for (const r of rows) {
    const perm = rng.sample(r.length, r.length);
    for (let j = 0; j < r.length; j++) out[r[perm[j]!]!] = j % folds;
  }
  return out;
}

/**
 * Cross-fitted DR pseudo-outcomes phi[a] (length n; meaningful on rows with A in {0, a}). With
 * `stack`, also the X-learner's out-of-fold effect predictions t0, t1 (length n per offer), accumulating the normal equations of the
 * constant weight c minimizing sum (phi - c tau_0 - (1 - c) tau_1)^2: [sum (phi - t1)(t0 - t1),
 * sum (t0 - t1)^2].
 */
function crossFitPseudo(
  input: EffectHeadInput,
  learner: LearnerFactory,
  foldOf: Int32Array,
  folds: number,
  g: Float64Array,
  stack: boolean,
  effectLearner?: LearnerFactory,
): { phi: Float64Array[]; stack: [number, number][]; t0: Float64Array[]; t1: Float64Array[] } {
  const { x, action, y, nActions: k, rows } = input;
  const n = action.length;
  const phi = Array.from({ length: k }, () => new Float64Array(n));
  const acc: [number, number][] = Array.from({ length: k }, () => [0, 0] as [number, number]);
  // Out-of-fold X effect models' predictions per offer (filled only with `stack`).
  const t0 = stack ? Array.from({ length: k }, () => new Float64Array(n)) : [];
  const t1 = stack ? Array.from({ length: k }, () => new Float64Array(n)) : [];
  const fitOne = (f: LearnerFactory, idx: Int32Array, t: Float64Array): FittedModel =>
    fitBase(f, x.selectRows(idx), t, input.shared);
  const filter = (r: Int32Array, keep: (i: number) => boolean): Int32Array => r.filter(keep);
  const pick = (idx: Int32Array, v: ArrayLike<number>): Float64Array => Float64Array.from(idx, (i) => v[i]!);
  for (let f = 0; f < folds; f++) {
    const inFold = filter(
      Int32Array.from({ length: n }, (_, i) => i),
      (i) => foldOf[i] === f,
    );
    const xf = x.selectRows(inFold);
    const tr0 = filter(rows[0]!, (i) => foldOf[i] !== f);
    const y0 = pick(tr0, y);
    const mu0 = fitOne(learner, tr0, y0);
    const mu0f = mu0.predict(xf);
    for (let a = 1; a < k; a++) {
      const tra = filter(rows[a]!, (i) => foldOf[i] !== f);
      const ya = pick(tra, y);
      const mua = fitOne(learner, tra, ya);
      const muaf = mua.predict(xf);
      let t1f: Float64Array | null = null;
      let t0f: Float64Array | null = null;
      if (stack && effectLearner) {
        const d1 = mu0.predict(x.selectRows(tra));
        for (let j = 0; j < d1.length; j++) d1[j] = ya[j]! - d1[j]!;
        const d0 = mua.predict(x.selectRows(tr0));
        for (let j = 0; j < d0.length; j++) d0[j] = d0[j]! - y0[j]!;
        t1f = fitOne(effectLearner, tra, d1).predict(xf);
        t0f = fitOne(effectLearner, tr0, d0).predict(xf);
      }
      for (let j = 0; j < inFold.length; j++) {
        const i = inFold[j]!;
        const ai = action[i]!;
        if (ai !== a && ai !== 0) continue;
        const w = ai === a ? 1 : 0;
        const ga = g[i * k + a]!;
        const muw = w ? muaf[j]! : mu0f[j]!;
        const p = muaf[j]! - mu0f[j]! + ((w - ga) / (ga * (1 - ga))) * (y[i]! - muw);
        phi[a]![i] = p;
        if (t1f && t0f) {
          t0[a]![i] = t0f[j]!;
          t1[a]![i] = t1f[j]!;
          const d = t0f[j]! - t1f[j]!;
          acc[a]![0] += (p - t1f[j]!) * d;
          acc[a]![1] += d * d;
        }
      }
    }
  }
  return { phi, stack: acc, t0, t1 };
}
