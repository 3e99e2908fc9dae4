import { CiaError, type DenseMatrix, createRng, type Seed } from "@cia/core";
import type { FittedModel, ModelJson } from "@cia/learners";
import { modelJsonAt } from "@cia/learners";
import { type LearnerFactory, type ModelLoader, fitBase } from "./learner-factory.js";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * Where the propensities come from and how they are clipped.
 *
 * - `"logged"`: the design's action probabilities (`UpliftData.propensity`, n x K).
 * - `"estimate"`: classifiers on the features. `scheme = "one-vs-control"` fits, per offer a, a
 *   classifier of "a vs no-offer" on the rows logged with a or 0, which estimates the pairwise
 *   weight pi_a / (pi_a + pi_0) directly; `"one-vs-rest"` fits one classifier per action on all
 *   rows (a multinomial model by normalisation; the pairwise ratio is unaffected by the
 *   normalising constant). Training rows get cross-fitted ("honest") estimates.
 * - `"constant"`: the training share n_a / (n_a + n_0), exact for a randomised trial with fixed
 *   shares.
 *
 * @example
 * const opts: PropensityOptions = { source: "estimate", classifier: () => new LogisticRegression(), clip: 1e-3 };
 */
export interface PropensityOptions {
  source?: "logged" | "estimate" | "constant" | undefined;
  scheme?: "one-vs-control" | "one-vs-rest" | undefined;
  /** A probabilistic classifier (predict returns P(label = 1)); required for `"estimate"`. */
  classifier?: LearnerFactory | undefined;
  /** Pairwise weights are clipped to [clip, 1 - clip]; default 1e-3 (CausalML's convention). */
  clip?: number | undefined;
  /** Folds for cross-fitted training-row estimates; default 5, 1 disables cross-fitting. */
  crossFitFolds?: number | undefined;
}

/** What happened to the propensities: their source and how many were clipped, per offer. */
export interface PropensityReport {
  source: "logged" | "estimate" | "constant";
  scheme: "one-vs-control" | "one-vs-rest" | null;
  clip: number;
  /** One entry per offer a >= 1, over the training rows logged with a or no-offer. */
  arms: {
    action: number;
    rows: number;
    clippedLow: number;
    clippedHigh: number;
    min: number;
    max: number;
    mean: number;
  }[];
}

/** JSON of the predict-time pairwise weight model. */
export type PairwiseWeightJson =
  | { kind: "constant"; clip: number; weights: number[] }
  | {
      kind: "classifiers";
      clip: number;
      scheme: "one-vs-control" | "one-vs-rest";
      models: (ModelJson | null)[];
    };

/**
 * Predict-time pairwise weights g_a(x) = P(A = a | x, A in {0, a}), n x K (column 0 is unused).
 * Used by the X-learner's combination step on units without logged propensities.
 *
 * @example
 * const g = PairwiseWeightModel.constant([0, 0.5, 0.5], 1e-3).predict(x); // n x 3, g[i * 3 + a]
 */
export class PairwiseWeightModel {
  private constructor(
    private readonly nActions: number,
    private readonly clip: number,
    private readonly constant: Float64Array | null,
    private readonly scheme: "one-vs-control" | "one-vs-rest",
    private readonly models: (FittedModel | null)[],
  ) {}

  static constant(weights: ArrayLike<number>, clip: number): PairwiseWeightModel {
    return new PairwiseWeightModel(weights.length, clip, Float64Array.from(weights), "one-vs-control", []);
  }

  static classifiers(
    nActions: number,
    clip: number,
    scheme: "one-vs-control" | "one-vs-rest",
    models: (FittedModel | null)[],
  ): PairwiseWeightModel {
    return new PairwiseWeightModel(nActions, clip, null, scheme, models);
  }

  /**
   * Rebuild from {@link PairwiseWeightModel.toJSON} output (already checked by the enclosing
   * `validateUpliftModelJson`); base-model problems are reported at their path (`models[a]...`).
   */
  static fromJSON(json: PairwiseWeightJson, loadModel: ModelLoader): PairwiseWeightModel {
    if (json.kind === "constant") return PairwiseWeightModel.constant(json.weights, json.clip);
    const models = json.models.map((m, a) => (m ? modelJsonAt(["models", a], () => loadModel(m)) : null));
    return PairwiseWeightModel.classifiers(json.models.length, json.clip, json.scheme, models);
  }

  /** Pairwise weights for every row of x, n x K, clipped. */
  predict(x: DenseMatrix): Float64Array {
    const n = x.rows;
    const k = this.nActions;
    const out = new Float64Array(n * k);
    if (this.constant) {
      for (let i = 0; i < n; i++) for (let a = 1; a < k; a++) out[i * k + a] = this.constant[a]!;
      return out;
    }
    const cols = this.models.map((m) => (m ? m.predict(x) : null));
    for (let a = 1; a < k; a++) {
      for (let i = 0; i < n; i++) {
        let g: number;
        if (this.scheme === "one-vs-control") g = cols[a]![i]!;
        else {
          const pa = cols[a]![i]!;
          const p0 = cols[0]![i]!;
          g = pa + p0 > 0 ? pa / (pa + p0) : 0.5;
        }
        out[i * k + a] = clampTo(g, this.clip);
      }
    }
    return out;
  }

  toJSON(): PairwiseWeightJson {
    if (this.constant) return { kind: "constant", clip: this.clip, weights: Array.from(this.constant) };
    return {
      kind: "classifiers",
      clip: this.clip,
      scheme: this.scheme,
      models: this.models.map((m) => (m ? m.toJSON() : null)),
    };
  }
}

function clampTo(g: number, clip: number): number {
  return g < clip ? clip : Math.min(g, 1 - clip);
}

/** Result of `fitPairwisePropensity`. */
export interface PairwisePropensityFit {
  /** Training-row pairwise weights, n x K (column 0 unused), clipped; cross-fitted when estimated. */
  train: Float64Array;
  /** Predict-time model. */
  model: PairwiseWeightModel;
  report: PropensityReport;
}

/**
 * Pairwise propensities g_a = pi_a / (pi_a + pi_0) for every training row and offer, from the log,
 * from classifiers, or constant; clipped to [clip, 1 - clip] with the clipping counted.
 *
 * @example
 * const { train, model, report } = fitPairwisePropensity(x, action, 3, null, { source: "constant" }, 1);
 */
export function fitPairwisePropensity(
  x: DenseMatrix,
  action: Int32Array,
  nActions: number,
  logged: Float64Array | null,
  options: PropensityOptions = {},
  seed: Seed = 0,
): PairwisePropensityFit {
  const n = action.length;
  const k = nActions;
  const clip = options.clip ?? 1e-3;
  if (!(clip >= 0 && clip < 0.5))
    throw new CiaError<UpliftErrorCode>(
      "invalid_option",
      `propensity clip must be in [0, 0.5), got ${clip}`,
      { clip },
    );
  const source = options.source ?? (logged ? "logged" : options.classifier ? "estimate" : "constant");
  const raw = new Float64Array(n * k);
  let model: PairwiseWeightModel;
  let scheme: PropensityReport["scheme"] = null;
  if (source === "logged") {
    if (!logged)
      throw new CiaError<UpliftErrorCode>(
        "missing_propensity",
        "propensity source 'logged' needs data.propensity (n x K)",
        {},
      );
    const mean = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const p0 = logged[i * k]!;
      for (let a = 1; a < k; a++) {
        const pa = logged[i * k + a]!;
        const g = pa + p0 > 0 ? pa / (pa + p0) : Number.NaN;
        raw[i * k + a] = g;
        mean[a]! += Number.isNaN(g) ? 0.5 : g;
      }
    }
    for (let a = 1; a < k; a++) mean[a] = mean[a]! / n;
    // Units scored later carry no logged propensity; the mean pairwise weight is exact for designs
    // whose probabilities do not depend on x (uniform, stratified by arm); pass propensities at
    // predict time otherwise.
    model = PairwiseWeightModel.constant(mean, clip);
  } else if (source === "constant") {
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) counts[action[i]!]!++;
    const w = new Float64Array(k);
    for (let a = 1; a < k; a++)
      w[a] = counts[a]! + counts[0]! > 0 ? counts[a]! / (counts[a]! + counts[0]!) : 0.5;
    for (let i = 0; i < n; i++) for (let a = 1; a < k; a++) raw[i * k + a] = w[a]!;
    model = PairwiseWeightModel.constant(w, clip);
  } else {
    const classifier = options.classifier;
    if (!classifier)
      throw new CiaError<UpliftErrorCode>(
        "invalid_option",
        "propensity source 'estimate' needs a classifier factory",
        {},
      );
    scheme = options.scheme ?? "one-vs-control";
    const folds = Math.max(1, options.crossFitFolds ?? 5);
    model = estimate(x, action, k, classifier, scheme, clip, folds, seed, raw);
  }
  // Clip and report.
  const arms: PropensityReport["arms"] = [];
  for (let a = 1; a < k; a++) {
    let rows = 0;
    let low = 0;
    let high = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let g = raw[i * k + a]!;
      if (Number.isNaN(g)) g = 0.5;
      const inPair = action[i] === a || action[i] === 0;
      if (inPair) {
        rows++;
        if (g < clip) low++;
        else if (g > 1 - clip) high++;
        if (g < min) min = g;
        if (g > max) max = g;
        sum += g;
      }
      raw[i * k + a] = clampTo(g, clip);
    }
    arms.push({
      action: a,
      rows,
      clippedLow: low,
      clippedHigh: high,
      min: rows ? min : Number.NaN,
      max: rows ? max : Number.NaN,
      mean: rows ? sum / rows : Number.NaN,
    });
  }
  return { train: raw, model, report: { source, scheme, clip, arms } };
}

function estimate(
  x: DenseMatrix,
  action: Int32Array,
  k: number,
  classifier: LearnerFactory,
  scheme: "one-vs-control" | "one-vs-rest",
  clip: number,
  folds: number,
  seed: Seed,
  out: Float64Array,
): PairwiseWeightModel {
  const n = action.length;
  const fold = new Int32Array(n);
  if (folds > 1) {
    const perm = createRng(seed).split("propensity-folds").sample(n, n);
    for (let j = 0; j < n; j++) fold[perm[j]!] = j % folds;
  }
  // Which rows each classifier trains on, and its labels.
  const tasks =
    scheme === "one-vs-control"
      ? Array.from({ length: k - 1 }, (_, j) => j + 1)
      : Array.from({ length: k }, (_, j) => j);
  const fullModels: (FittedModel | null)[] = new Array(k).fill(null);
  const columns: Float64Array[] = new Array(k);
  for (const t of tasks) {
    const member = (i: number): boolean => scheme === "one-vs-rest" || action[i] === t || action[i] === 0;
    const fitOn = (keep: (i: number) => boolean): FittedModel => {
      let m = 0;
      for (let i = 0; i < n; i++) if (member(i) && keep(i)) m++;
      const idx = new Int32Array(m);
      const y = new Float64Array(m);
      m = 0;
      for (let i = 0; i < n; i++) {
        if (member(i) && keep(i)) {
          idx[m] = i;
          y[m++] = action[i] === t ? 1 : 0;
        }
      }
      return fitBase(classifier, x.selectRows(idx), y, undefined);
    };
    const full = fitOn(() => true);
    fullModels[t] = full;
    const col = new Float64Array(n);
    if (folds > 1) {
      for (let f = 0; f < folds; f++) {
        const mf = fitOn((i) => fold[i] !== f);
        let m = 0;
        for (let i = 0; i < n; i++) if (fold[i] === f) m++;
        const idx = new Int32Array(m);
        m = 0;
        for (let i = 0; i < n; i++) if (fold[i] === f) idx[m++] = i;
        const p = mf.predict(x.selectRows(idx));
        for (let j = 0; j < m; j++) col[idx[j]!] = p[j]!;
      }
    } else col.set(full.predict(x));
    columns[t] = col;
  }
  for (let a = 1; a < k; a++) {
    for (let i = 0; i < n; i++) {
      if (scheme === "one-vs-control") out[i * k + a] = columns[a]![i]!;
      else {
        const pa = columns[a]![i]!;
        const p0 = columns[0]![i]!;
        out[i * k + a] = pa + p0 > 0 ? pa / (pa + p0) : 0.5;
      }
    }
  }
  return PairwiseWeightModel.classifiers(k, clip, scheme, fullModels);
}
