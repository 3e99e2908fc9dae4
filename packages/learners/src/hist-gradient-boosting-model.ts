import { CiaError } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import type { BinnedMatrix } from "./bin-mapper.js";
import { categoryIndex } from "./category-index.js";
import type { GbdtLossName } from "./gbdt-loss.js";
import type { FittedModel, ModelJson } from "./learner.js";
import { predictTreesWasm } from "./wasm/predict-trees.js";
import type { LearnersErrorCode } from "./error-codes.js";
import { invalidModelJson } from "./validate-model-error.js";
import { validateModelJson } from "./validate-model-json.js";

/** Serialized {@link HistGradientBoostingModel}: flat node arrays of all trees, loadable without training code. */
export interface HistGradientBoostingJson extends ModelJson {
  kind: "gbdt";
  version: 1;
  loss: GbdtLossName;
  tweediePower: number;
  nFeatures: number;
  baseline: number;
  /** Root node index of each tree (one tree per iteration). */
  treeRoots: number[];
  /** Per node: split feature, or -1 for a leaf. */
  feature: number[];
  /** Per node: raw threshold (x <= threshold goes left); null encodes +Infinity. */
  threshold: (number | null)[];
  /** Per node: bin threshold (bin <= it goes left), for binned input. */
  binThreshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  /** Per node: index of its categorical bitset (8 words) or -1. */
  catIndex: number[];
  catBitsets: number[];
  /** Per feature: the sorted category values (categorical features) or null. */
  categories: (number[] | null)[];
  /** Bin index of missing values (for binned input). */
  missingBin: number;
  /** Validation loss per iteration when early stopping ran (index 0 = baseline only). */
  validationLoss?: number[];
}

/** The pieces a fitted boosting model is made of (used by `HistGradientBoosting.fit` and the loader). */
export interface HistGradientBoostingParts {
  loss: GbdtLossName;
  tweediePower: number;
  nFeatures: number;
  baseline: number;
  /** Root node of each tree. */
  treeRoots: Int32Array;
  /** Per node: split feature, or -1 for a leaf. */
  feature: Int32Array;
  /** Per node: raw threshold (x <= threshold goes left, numeric splits). */
  threshold: Float64Array;
  /** Per node: samples with bin <= binThreshold go left (numeric splits). */
  binThreshold: Int32Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf values, already multiplied by the learning rate (0 for internal nodes). */
  value: Float64Array;
  /** Per node: index into `catBitsets` (8 words per split) or -1. */
  catIndex: Int32Array;
  /** 256-bit sets of the bins that go left, for categorical splits. */
  catBitsets: Uint32Array;
  categories: (Float64Array | null)[];
  missingBin: number;
  validationLoss?: number[] | undefined;
}

/**
 * A fitted histogram gradient-boosting model: flat typed-array trees walked per row. `predict`
 * returns means (squared error), probabilities (logistic) or expected counts/amounts (Poisson,
 * Tweedie); `predictRaw` returns the margin (link scale).
 *
 * @example
 * const model = new HistGradientBoosting({ maxIter: 50 }).fit(x, y);
 * const yhat = model.predict(xTest);
 * const again = loadModel(JSON.parse(JSON.stringify(model.toJSON())));
 */
export class HistGradientBoostingModel implements FittedModel {
  readonly kind = "gbdt";
  readonly nFeatures: number;
  /** Number of trees (boosting iterations kept). */
  readonly nIter: number;
  readonly loss: GbdtLossName;
  readonly baseline: number;
  /** Validation loss per iteration when early stopping ran (index 0 = baseline only). */
  readonly validationLoss: readonly number[] | undefined;
  private readonly parts: HistGradientBoostingParts;

  constructor(parts: HistGradientBoostingParts) {
    this.parts = parts;
    this.nFeatures = parts.nFeatures;
    this.nIter = parts.treeRoots.length;
    this.loss = parts.loss;
    this.baseline = parts.baseline;
    this.validationLoss = parts.validationLoss ? Object.freeze([...parts.validationLoss]) : undefined;
    Object.freeze(this);
  }

  /** Predictions on the response scale (probabilities for logistic loss). */
  predict(x: DenseMatrix, out?: Float64Array, options: { iterations?: number } = {}): Float64Array {
    const r = this.predictRaw(x, out, options);
    applyInverseLink(this.loss, r);
    return r;
  }

  /** Raw margins: baseline plus the sum of the first `iterations` trees (default all). */
  predictRaw(x: DenseMatrix, out?: Float64Array, options: { iterations?: number } = {}): Float64Array {
    if (x.cols !== this.nFeatures) {
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `x has ${x.cols} columns, the model expects ${this.nFeatures}`,
        {
          cols: x.cols,
          expected: this.nFeatures,
        },
      );
    }
    const n = x.rows;
    const res = out ?? new Float64Array(n);
    if (res.length < n)
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `out has length ${res.length}, x has ${n} rows`,
        {
          out: res.length,
          rows: n,
        },
      );
    const t = Math.min(options.iterations ?? this.nIter, this.nIter);
    const P = this.parts;
    const hasCat = P.catBitsets.length > 0;
    if (!hasCat && predictTreesWasm(P, x.data, n, x.cols, t, this.baseline, res)) return res;
    predictRows(
      x.data,
      n,
      x.cols,
      P.treeRoots,
      t,
      P.feature,
      P.threshold,
      P.missingLeft,
      P.left,
      P.right,
      P.value,
      P.catIndex,
      this.baseline,
      res,
      hasCat ? this : null,
    );
    return res;
  }

  /** Raw margins for already-binned rows (from the mapper the model was trained with). */
  predictRawBinned(
    binned: BinnedMatrix,
    out?: Float64Array,
    options: { iterations?: number } = {},
  ): Float64Array {
    const n = binned.rows;
    const res = out ?? new Float64Array(n);
    const t = Math.min(options.iterations ?? this.nIter, this.nIter);
    res.fill(this.baseline, 0, n);
    for (let k = 0; k < t; k++) addTreeBinned(this.parts, this.parts.treeRoots[k]!, binned, res);
    return res;
  }

  /** Bin of value v for categorical feature f (unseen categories and NaN: the missing bin). */
  categoryBin(f: number, v: number): number {
    const c = this.parts.categories[f];
    const k = c ? categoryIndex(c, v) : -1;
    return k < 0 ? this.parts.missingBin : k;
  }

  /** Categorical decision at node k for raw value v. */
  goesLeftCategorical(k: number, v: number): boolean {
    const P = this.parts;
    const b = this.categoryBin(P.feature[k]!, v);
    const base = P.catIndex[k]! * 8;
    return ((P.catBitsets[base + (b >>> 5)]! >>> (b & 31)) & 1) === 1;
  }

  toJSON(): HistGradientBoostingJson {
    const P = this.parts;
    const json: HistGradientBoostingJson = {
      kind: "gbdt",
      version: 1,
      loss: P.loss,
      tweediePower: P.tweediePower,
      nFeatures: P.nFeatures,
      baseline: P.baseline,
      treeRoots: Array.from(P.treeRoots),
      feature: Array.from(P.feature),
      threshold: Array.from(P.threshold, (v) => (v === Number.POSITIVE_INFINITY ? null : v)),
      binThreshold: Array.from(P.binThreshold),
      missingLeft: Array.from(P.missingLeft),
      left: Array.from(P.left),
      right: Array.from(P.right),
      value: Array.from(P.value),
      catIndex: Array.from(P.catIndex),
      catBitsets: Array.from(P.catBitsets),
      categories: P.categories.map((c) => (c ? Array.from(c) : null)),
      missingBin: P.missingBin,
    };
    if (P.validationLoss) json.validationLoss = [...P.validationLoss];
    return json;
  }

  /**
   * Rebuild a model from {@link HistGradientBoostingModel.toJSON} output. The JSON is validated
   * first (`validateModelJson`: strict schema, finite numbers, trees acyclic and in range), so no
   * loaded model can hang or read outside its arrays; a problem throws `invalid_model` with its
   * JSON path.
   */
  static fromJSON(input: HistGradientBoostingJson): HistGradientBoostingModel {
    const checked = validateModelJson(input);
    if (!checked.success) throw invalidModelJson(checked.problem.path, checked.problem.reason);
    if (checked.data.kind !== "gbdt")
      throw invalidModelJson(["kind"], `not a gbdt model (kind ${JSON.stringify(checked.data.kind)})`);
    const json = checked.data;
    return new HistGradientBoostingModel({
      loss: json.loss,
      tweediePower: json.tweediePower,
      nFeatures: json.nFeatures,
      baseline: json.baseline,
      treeRoots: Int32Array.from(json.treeRoots),
      feature: Int32Array.from(json.feature),
      threshold: Float64Array.from(json.threshold, (v) => (v === null ? Number.POSITIVE_INFINITY : v)),
      binThreshold: Int32Array.from(json.binThreshold),
      missingLeft: Uint8Array.from(json.missingLeft),
      left: Int32Array.from(json.left),
      right: Int32Array.from(json.right),
      value: Float64Array.from(json.value),
      catIndex: Int32Array.from(json.catIndex),
      catBitsets: Uint32Array.from(json.catBitsets),
      categories: json.categories.map((c) => (c ? Float64Array.from(c) : null)),
      missingBin: json.missingBin,
      validationLoss: json.validationLoss,
    });
  }
}

/** Inverse link on raw margins, in place. */
export function applyInverseLink(loss: GbdtLossName, r: Float64Array): void {
  if (loss === "logistic") for (let i = 0; i < r.length; i++) r[i] = 1 / (1 + Math.exp(-r[i]!));
  else if (loss === "poisson" || loss === "tweedie")
    for (let i = 0; i < r.length; i++) r[i] = Math.exp(r[i]!);
}

function predictRows(
  x: Float64Array,
  n: number,
  p: number,
  roots: Int32Array,
  t: number,
  feature: Int32Array,
  threshold: Float64Array,
  missingLeft: Uint8Array,
  left: Int32Array,
  right: Int32Array,
  value: Float64Array,
  catIndex: Int32Array,
  baseline: number,
  out: Float64Array,
  cat: HistGradientBoostingModel | null,
): void {
  for (let i = 0; i < n; i++) {
    const off = i * p;
    let acc = baseline;
    for (let k = 0; k < t; k++) {
      let node = roots[k]!;
      let f = feature[node]!;
      while (f >= 0) {
        const v = x[off + f]!;
        let goLeft: boolean;
        if (cat !== null && catIndex[node]! >= 0) goLeft = cat.goesLeftCategorical(node, v);
        else goLeft = Number.isNaN(v) ? missingLeft[node] === 1 : v <= threshold[node]!;
        node = goLeft ? left[node]! : right[node]!;
        f = feature[node]!;
      }
      acc += value[node]!;
    }
    out[i] = acc;
  }
}

/** Add one tree's leaf values to `out` for binned rows. */
export function addTreeBinned(
  P: HistGradientBoostingParts,
  root: number,
  binned: BinnedMatrix,
  out: Float64Array,
): void {
  const n = binned.rows;
  const data = binned.data;
  const missing = binned.missingBin;
  for (let i = 0; i < n; i++) {
    let node = root;
    let f = P.feature[node]!;
    while (f >= 0) {
      const b = data[f * n + i]!;
      const ci = P.catIndex[node]!;
      let goLeft: boolean;
      if (ci >= 0) goLeft = ((P.catBitsets[ci * 8 + (b >>> 5)]! >>> (b & 31)) & 1) === 1;
      else goLeft = b === missing ? P.missingLeft[node] === 1 : b <= P.binThreshold[node]!;
      node = goLeft ? P.left[node]! : P.right[node]!;
      f = P.feature[node]!;
    }
    out[i] = out[i]! + P.value[node]!;
  }
}
