import { CiaError, createRng } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import { BinMapper } from "./bin-mapper.js";
import type { BinnedMatrix } from "./bin-mapper.js";
import { gbdtLoss } from "./gbdt-loss.js";
import type { GbdtLossName } from "./gbdt-loss.js";
import { HistGradientBoostingModel, addTreeBinned } from "./hist-gradient-boosting-model.js";
import type { HistGradientBoostingParts } from "./hist-gradient-boosting-model.js";
import type { FitOptions, Learner } from "./learner.js";
import { TreeGrower } from "./tree-grower.js";
import type { GrownTree } from "./tree-grower.js";
import { toFloat64, validateWeights } from "./validate-inputs.js";
import { ConfiguredLearner } from "./configured-learner.js";
import type { LearnersErrorCode } from "./error-codes.js";

/** Early-stopping settings (sklearn's `validation_fraction`, `n_iter_no_change`, `tol`). */
export interface EarlyStoppingOptions {
  /** Share of the training rows held out when `fit` gets no explicit validation set. Default 0.1. */
  validationFraction?: number;
  /** Stop when the last `patience` iterations did not beat the loss `patience + 1` iterations ago by `tol`. Default 10. */
  patience?: number;
  /** Minimum improvement of the validation loss. Default 1e-7. */
  tol?: number;
}

/** Configuration of {@link HistGradientBoosting}; defaults follow sklearn's HistGradientBoosting. */
export interface HistGradientBoostingOptions {
  /** "squared_error" (default), "logistic" (binary, y in [0, 1]), "poisson" or "tweedie" (log link). */
  loss?: GbdtLossName;
  /** Tweedie variance power in [1, 2). Default 1.5. */
  tweediePower?: number;
  /** Shrinkage of every leaf value. Default 0.1. */
  learningRate?: number;
  /** Boosting iterations (one tree each). Default 100. */
  maxIter?: number;
  /** Maximum leaves per tree. Default 31. */
  maxLeafNodes?: number;
  /** Maximum depth (root = depth 0); undefined = unlimited. */
  maxDepth?: number | undefined;
  /** Minimum rows (sum of weights when weighted) per leaf. Default 20. */
  minSamplesLeaf?: number;
  /** Minimum hessian sum per leaf. Default 1e-3. */
  minHessianLeaf?: number;
  /** L2 penalty on leaf values. Default 0. */
  l2Regularization?: number;
  /** Bins for non-missing values, 2..255 (plus one missing bin). Default 255. */
  maxBins?: number;
  /** Share of rows drawn (without replacement) for each tree. Default 1. */
  rowSubsample?: number;
  /** Share of features drawn for each tree. Default 1. */
  colSubsample?: number;
  /** Early stopping on a validation set: `true` for defaults, an object to tune, false/undefined = off (unless `fit` gets `validation`). */
  earlyStopping?: boolean | EarlyStoppingOptions;
  /** Column indices of categorical features. */
  categoricalFeatures?: readonly number[];
  /** Seed of every random step (bin subsample, validation split, row and feature subsampling). Default 0. */
  seed?: number;
}

/** Fit options of {@link HistGradientBoosting}: the learner interface plus a shared bin mapper. */
export interface HistGradientBoostingFitOptions extends FitOptions {
  /** A fitted mapper to reuse (bootstrap ensembles bin once); its settings override maxBins/categoricalFeatures. */
  binMapper?: BinMapper;
  /** `binMapper.transform(x)`, when already computed (must match x row for row). */
  binned?: BinnedMatrix;
  /** Called after every iteration (progress, profiling). */
  onIteration?: (iteration: number) => void;
}

interface Resolved {
  loss: GbdtLossName;
  tweediePower: number;
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  l2: number;
  maxBins: number;
  rowSubsample: number;
  colSubsample: number;
  early: Required<EarlyStoppingOptions> | null;
  earlyExplicitOff: boolean;
  categorical: readonly number[];
  seed: number;
}

/**
 * Histogram gradient boosting (LightGBM / sklearn HistGradientBoosting style): features binned
 * once into `Uint8Array` columns, leaf-wise trees on gradient/hessian histograms with histogram
 * subtraction, squared-error, logistic, Poisson and Tweedie losses, sample weights (weight k is
 * exactly k repeated rows), categorical features, row/feature subsampling and early stopping.
 * Deterministic given `seed`; unweighted, it grows the same trees as sklearn 1.2 (same bin edges,
 * gains, tie-breaking and leaf values; float32 gradients as in sklearn).
 *
 * @example
 * const gbdt = new HistGradientBoosting({ maxIter: 200, learningRate: 0.1, maxLeafNodes: 31 });
 * const model = gbdt.fit(x, y, { weights });
 * const yhat = model.predict(xTest);
 */
export class HistGradientBoosting
  extends ConfiguredLearner<HistGradientBoostingOptions>
  implements Learner<HistGradientBoostingModel>
{
  readonly kind = "gbdt";

  private resolve(): Resolved {
    const o = this.options;
    const num = (name: string, v: number, ok: boolean): number => {
      if (!ok)
        throw new CiaError<LearnersErrorCode>(
          "invalid_option",
          `HistGradientBoosting: invalid ${name} = ${v}`,
          {
            option: name,
            value: v,
          },
        );
      return v;
    };
    const lr = o.learningRate ?? 0.1;
    const maxIter = o.maxIter ?? 100;
    const leaves = o.maxLeafNodes ?? 31;
    const depth = o.maxDepth ?? Number.POSITIVE_INFINITY;
    const msl = o.minSamplesLeaf ?? 20;
    const mh = o.minHessianLeaf ?? 1e-3;
    const l2 = o.l2Regularization ?? 0;
    const maxBins = o.maxBins ?? 255;
    const rs = o.rowSubsample ?? 1;
    const cs = o.colSubsample ?? 1;
    const seed = o.seed ?? 0;
    let early: Required<EarlyStoppingOptions> | null = null;
    if (o.earlyStopping) {
      const e = o.earlyStopping === true ? {} : o.earlyStopping;
      early = {
        validationFraction: e.validationFraction ?? 0.1,
        patience: e.patience ?? 10,
        tol: e.tol ?? 1e-7,
      };
      num(
        "earlyStopping.validationFraction",
        early.validationFraction,
        early.validationFraction > 0 && early.validationFraction < 1,
      );
      num("earlyStopping.patience", early.patience, Number.isInteger(early.patience) && early.patience >= 1);
      num("earlyStopping.tol", early.tol, early.tol >= 0);
    }
    return {
      loss: o.loss ?? "squared_error",
      tweediePower: o.tweediePower ?? 1.5,
      learningRate: num("learningRate", lr, lr > 0 && Number.isFinite(lr)),
      maxIter: num("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1),
      maxLeafNodes: num(
        "maxLeafNodes",
        leaves,
        (Number.isInteger(leaves) && leaves >= 2) || leaves === Number.POSITIVE_INFINITY,
      ),
      maxDepth: num(
        "maxDepth",
        depth,
        (Number.isInteger(depth) && depth >= 1) || depth === Number.POSITIVE_INFINITY,
      ),
      minSamplesLeaf: num("minSamplesLeaf", msl, msl > 0 && Number.isFinite(msl)),
      minHessianLeaf: num("minHessianLeaf", mh, mh >= 0),
      l2: num("l2Regularization", l2, l2 >= 0 && Number.isFinite(l2)),
      maxBins: num("maxBins", maxBins, Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= 255),
      rowSubsample: num("rowSubsample", rs, rs > 0 && rs <= 1),
      colSubsample: num("colSubsample", cs, cs > 0 && cs <= 1),
      early,
      earlyExplicitOff: o.earlyStopping === false,
      categorical: o.categoricalFeatures ?? [],
      seed: num("seed", seed, Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff),
    };
  }

  /** Train on `x` (rows x features, NaN = missing), targets `y`, optional weights and validation set. */
  fit(
    x: DenseMatrix,
    yIn: ArrayLike<number>,
    options: HistGradientBoostingFitOptions = {},
  ): HistGradientBoostingModel {
    const cfg = this.resolve();
    const loss = gbdtLoss(cfg.loss, cfg.tweediePower);
    const nAll = x.rows;
    const p = x.cols;
    if (nAll < 1 || p < 1)
      throw new CiaError<LearnersErrorCode>(
        "empty_data",
        `HistGradientBoosting.fit needs rows and columns, got ${nAll} x ${p}`,
        { rows: nAll, cols: p },
      );
    if (yIn.length !== nAll)
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `y has length ${yIn.length}, x has ${nAll} rows`,
        {
          y: yIn.length,
          rows: nAll,
        },
      );
    const yAll = toFloat64(yIn);
    loss.validate(yAll);
    const wAll = options.weights === undefined ? null : validateWeights(options.weights, nAll);
    const rng = createRng(cfg.seed);

    // Validation set: explicit, or a seeded share of the rows when early stopping is on.
    let trainRows: Int32Array | null = null;
    let valRows: Int32Array | null = null;
    const useExplicit = options.validation !== undefined && !cfg.earlyExplicitOff;
    const early = cfg.early ?? (useExplicit ? { validationFraction: 0.1, patience: 10, tol: 1e-7 } : null);
    if (early && !useExplicit) {
      const nVal = Math.max(1, Math.floor(early.validationFraction * nAll));
      if (nVal >= nAll)
        throw new CiaError<LearnersErrorCode>("empty_data", "not enough rows to hold out a validation set", {
          rows: nAll,
        });
      const perm = rng.split("validation").sample(nAll, nAll);
      valRows = perm.slice(0, nVal).sort();
      trainRows = perm.slice(nVal).sort();
    }

    let mapper = options.binMapper;
    if (mapper && mapper.nFeatures !== p) {
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `binMapper has ${mapper.nFeatures} features, x has ${p}`,
        {
          mapper: mapper.nFeatures,
          cols: p,
        },
      );
    }
    const binnedAll: BinnedMatrix | null = options.binned ?? null;
    if (binnedAll && (binnedAll.rows !== nAll || binnedAll.cols !== p)) {
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `binned is ${binnedAll.rows} x ${binnedAll.cols}, x is ${nAll} x ${p}`,
        {},
      );
    }
    if (binnedAll && !mapper)
      throw new CiaError<LearnersErrorCode>(
        "invalid_option",
        "binned data needs the binMapper that produced it",
        {},
      );
    const xTrain = trainRows ? x.selectRows(trainRows) : x;
    const y = trainRows ? pick(yAll, trainRows) : yAll;
    const w = wAll && trainRows ? pick(wAll, trainRows) : wAll;
    if (!mapper) {
      mapper = BinMapper.fit(xTrain, {
        maxBins: cfg.maxBins,
        seed: cfg.seed,
        categoricalFeatures: cfg.categorical,
        ...(w ? { weights: w } : {}),
      });
    }
    let binned: BinnedMatrix;
    if (binnedAll) binned = trainRows ? selectBinnedRows(binnedAll, trainRows) : binnedAll;
    else binned = mapper.transform(xTrain);
    const n = binned.rows;

    let valX: BinnedMatrix | null = null;
    let valY: Float64Array | null = null;
    let valW: Float64Array | null = null;
    if (early) {
      if (useExplicit) {
        const v = options.validation!;
        if (v.y.length !== v.x.rows)
          throw new CiaError<LearnersErrorCode>(
            "shape_mismatch",
            "validation y and x disagree in length",
            {},
          );
        valX = mapper.transform(v.x);
        valY = toFloat64(v.y);
        loss.validate(valY);
        valW = v.weights === undefined ? null : validateWeights(v.weights, v.x.rows);
      } else {
        valX = binnedAll ? selectBinnedRows(binnedAll, valRows!) : mapper.transform(x.selectRows(valRows!));
        valY = pick(yAll, valRows!);
        valW = wAll ? pick(wAll, valRows!) : null;
      }
    }

    const missingBin = mapper.missingBin;
    const hasMissing = new Uint8Array(p);
    for (let f = 0; f < p; f++) {
      const off = f * n;
      for (let i = 0; i < n; i++) {
        if (binned.data[off + i] === missingBin) {
          hasMissing[f] = 1;
          break;
        }
      }
    }

    const grower = new TreeGrower({
      binned: binned.data,
      n,
      p,
      nBins: mapper.maxBins + 1,
      missingBin,
      nBinsNonMissing: mapper.nBinsNonMissing,
      hasMissing,
      isCategorical: mapper.isCategorical,
      maxLeafNodes: cfg.maxLeafNodes,
      maxDepth: cfg.maxDepth,
      minSamplesLeaf: cfg.minSamplesLeaf,
      minHessianLeaf: cfg.minHessianLeaf,
      l2: cfg.l2,
      learningRate: cfg.learningRate,
      constantHessian: loss.constantHessian,
      weights: w,
    });

    const baseline = loss.baseline(y, w ?? undefined);
    const raw = new Float64Array(n).fill(baseline);
    // Gradients are computed straight into the grower's buffers (its kernels' memory).
    const g = grower.gradients;
    const h = grower.hessians;
    const trees: GrownTree[] = [];
    const rowRng = rng.split("rows");
    const colRng = rng.split("cols");
    const mRows = cfg.rowSubsample < 1 ? Math.max(1, Math.round(cfg.rowSubsample * n)) : n;
    const mCols = cfg.colSubsample < 1 ? Math.max(1, Math.round(cfg.colSubsample * p)) : p;
    let features: Int32Array = new Int32Array(p);
    for (let f = 0; f < p; f++) features[f] = f;
    const partition = grower.partition;

    const rawVal = valX ? new Float64Array(valX.rows).fill(baseline) : null;
    const scores: number[] = [];
    if (early) scores.push(-loss.meanLoss(valY!, rawVal!, valW));

    for (let it = 0; it < cfg.maxIter; it++) {
      loss.gradients(y, raw, w, g, h);
      const full = mRows === n;
      if (full) {
        for (let i = 0; i < n; i++) partition[i] = i;
      } else {
        const s = rowRng.sample(n, mRows).sort();
        partition.set(s);
      }
      if (mCols < p) features = colRng.sample(p, mCols).sort();
      const tree = grower.grow(g, h, mRows, full, features);
      trees.push(tree);
      if (full) grower.applyToRaw(tree, raw);
      else addTreeBinned(treeParts(tree), 0, binned, raw);
      if (early) {
        addTreeBinned(treeParts(tree), 0, valX!, rawVal!);
        scores.push(-loss.meanLoss(valY!, rawVal!, valW));
        options.onIteration?.(it);
        if (shouldStop(scores, early.patience, early.tol)) break;
      } else options.onIteration?.(it);
    }

    return new HistGradientBoostingModel({
      ...concatTrees(trees, mapper),
      loss: cfg.loss,
      tweediePower: cfg.tweediePower,
      nFeatures: p,
      baseline,
      categories: mapper.categories.map((c) => (c ? Float64Array.from(c) : null)),
      missingBin,
      validationLoss: early ? scores.map((s) => -s) : undefined,
    });
  }
}

/** sklearn's `_should_stop` on scores (negative losses, higher is better). */
function shouldStop(scores: number[], patience: number, tol: number): boolean {
  const ref = patience + 1;
  if (scores.length < ref) return false;
  const reference = scores[scores.length - ref]! + tol;
  for (let k = scores.length - patience; k < scores.length; k++) if (scores[k]! > reference) return false;
  return true;
}

function pick(a: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = a[rows[k]!]!;
  return out;
}

function selectBinnedRows(b: BinnedMatrix, rows: Int32Array): BinnedMatrix {
  const m = rows.length;
  const out = new Uint8Array(m * b.cols);
  for (let f = 0; f < b.cols; f++) {
    const src = f * b.rows;
    const dst = f * m;
    for (let k = 0; k < m; k++) out[dst + k] = b.data[src + rows[k]!]!;
  }
  return { rows: m, cols: b.cols, missingBin: b.missingBin, data: out };
}

/** View one grown tree as model parts (for binned prediction during training). */
function treeParts(t: GrownTree): HistGradientBoostingParts {
  return {
    loss: "squared_error",
    tweediePower: 0,
    nFeatures: 0,
    baseline: 0,
    treeRoots: new Int32Array(1),
    feature: t.feature,
    threshold: new Float64Array(0),
    binThreshold: t.binThreshold,
    missingLeft: t.missingLeft,
    left: t.left,
    right: t.right,
    value: t.value,
    catIndex: t.catIndex,
    catBitsets: t.catBitsets,
    categories: [],
    missingBin: 0,
  };
}

function concatTrees(
  trees: GrownTree[],
  mapper: BinMapper,
): Pick<
  HistGradientBoostingParts,
  | "treeRoots"
  | "feature"
  | "threshold"
  | "binThreshold"
  | "missingLeft"
  | "left"
  | "right"
  | "value"
  | "catIndex"
  | "catBitsets"
> {
  let nodes = 0;
  let cats = 0;
  for (const t of trees) {
    nodes += t.feature.length;
    cats += t.catBitsets.length;
  }
  const treeRoots = new Int32Array(trees.length);
  const feature = new Int32Array(nodes);
  const threshold = new Float64Array(nodes);
  const binThreshold = new Int32Array(nodes);
  const missingLeft = new Uint8Array(nodes);
  const left = new Int32Array(nodes);
  const right = new Int32Array(nodes);
  const value = new Float64Array(nodes);
  const catIndex = new Int32Array(nodes);
  const catBitsets = new Uint32Array(cats);
  let o = 0;
  let co = 0;
  trees.forEach((t, ti) => {
    treeRoots[ti] = o;
    const k = t.feature.length;
    for (let i = 0; i < k; i++) {
      const f = t.feature[i]!;
      feature[o + i] = f;
      value[o + i] = t.value[i]!;
      missingLeft[o + i] = t.missingLeft[i]!;
      left[o + i] = f >= 0 ? t.left[i]! + o : -1;
      right[o + i] = f >= 0 ? t.right[i]! + o : -1;
      binThreshold[o + i] = t.binThreshold[i]!;
      catIndex[o + i] = t.catIndex[i]! >= 0 ? t.catIndex[i]! + co / 8 : -1;
      if (f >= 0 && t.catIndex[i]! < 0) {
        const edges = mapper.thresholds[f]!;
        const b = t.binThreshold[i]!;
        // The last non-missing bin has no upper edge: every non-missing value goes left.
        threshold[o + i] = b < edges.length ? edges[b]! : Number.POSITIVE_INFINITY;
      }
    }
    catBitsets.set(t.catBitsets, co);
    o += k;
    co += t.catBitsets.length;
  });
  return {
    treeRoots,
    feature,
    threshold,
    binThreshold,
    missingLeft,
    left,
    right,
    value,
    catIndex,
    catBitsets,
  };
}
