import type { HistGradientBoostingJson, LinearModelJson, ModelJson } from "@cia/learners";
import type { UpliftModelJson } from "@cia/uplift";

/**
 * One row's effects from a T-learner uplift model, compiled once for serving: every base model of
 * both heads (value and cost, one outcome model per action) in one pass over the row, the trees of
 * all of them flattened into two typed arrays, no allocation per call. Gives the same numbers as
 * `UpliftModel.predict` bit for bit (leaf values summed in tree order from the baseline, the same
 * inverse links, tau_a = mu_a - mu_0 through the same one-member mean), so a decision made from it
 * is the decision the batch path makes.
 */
export interface CompiledUpliftPredictor {
  readonly nActions: number;
  readonly nFeatures: number;
  readonly hasCost: boolean;
  /**
   * Effects of the row `x[xAt .. xAt + nFeatures)` for every action into
   * `tauValue[outAt .. outAt + nActions)` (and `tauCost`, when the model has a cost head); column 0
   * (no offer) is 0.
   */
  predictRow(
    x: Float64Array,
    xAt: number,
    tauValue: Float64Array,
    tauCost: Float64Array | null,
    outAt: number,
  ): void;
}

/**
 * Node layout: `info` packs the index of the node's children (x 8192; a leaf points at itself),
 * whether a missing value goes right (4096) and the split feature.
 */
const FEATURE_LIMIT = 4096;
const MISSING_RIGHT = 4096;
const CHILD_SHIFT = 13;
const CHILD_SCALE = 2 ** CHILD_SHIFT;
const NODE_LIMIT = 2 ** 31 / CHILD_SCALE;
/** Trees walked side by side (independent chains of loads, so their latencies overlap). */
const LANES = 4;

const LINK_IDENTITY = 0;
const LINK_LOGISTIC = 1;
const LINK_EXP = 2;

/** A base model as the compiled pass runs it. */
interface CompiledBase {
  /** Trees: tree roots [treesStart, treesEnd) in `roots`; linear: coefficients at `coefAt`. */
  trees: boolean;
  start: number;
  end: number;
  /** The gbdt baseline or the linear intercept. */
  bias: number;
  link: number;
}

function isGbdt(m: ModelJson): m is HistGradientBoostingJson {
  return m.kind === "gbdt";
}

function isLinear(m: ModelJson): m is LinearModelJson {
  return m.kind === "ridge" || m.kind === "logistic";
}

/**
 * Compile a T-learner model (one member, no lifecycle segments) whose base models are boosted
 * trees with numeric splits or linear models; returns null for anything else (other
 * meta-learners, bootstrap members, segments, categorical splits, more than 4095 features), which
 * the caller scores with `UpliftModel.predict`. The JSON must be one `UpliftModel.fromJSON`
 * accepted (the loaded model's own file): it is not validated again.
 *
 * @example
 * const p = compileUpliftPredictor(model.file.uplift);
 * if (p) p.predictRow(x, 0, tauValue, tauCost, 0);
 */
export function compileUpliftPredictor(json: UpliftModelJson): CompiledUpliftPredictor | null {
  if (json.meta !== "t" || json.pooled.length !== 1 || json.segments !== null) return null;
  const k = json.nActions;
  const p = json.nFeatures;
  if (p >= FEATURE_LIMIT) return null;
  const member = json.pooled[0]!;
  const heads = member.cost ? [member.value, member.cost] : [member.value];
  const bases: CompiledBase[] = [];
  const roots: number[] = [];
  const depths: number[] = [];
  const info: number[] = [];
  const thr: number[] = [];
  const leaf: number[] = [];
  const coef: number[] = [];
  for (const head of heads) {
    if (head.meta !== "t" || head.nActions !== k) return null;
    const outcome = head.models.outcome;
    if (!outcome || outcome.length !== k) return null;
    for (let a = 0; a < k; a++) {
      const m = outcome[a];
      if (!m) return null;
      if (isGbdt(m)) {
        if (m.catBitsets.length > 0 || m.nFeatures !== p) return null;
        const link =
          m.loss === "logistic"
            ? LINK_LOGISTIC
            : m.loss === "poisson" || m.loss === "tweedie"
              ? LINK_EXP
              : LINK_IDENTITY;
        const start = roots.length;
        for (const root of m.treeRoots) {
          roots.push(info.length);
          const depth = flattenTree(m, root, { info, thr, leaf });
          if (depth < 0) return null;
          depths.push(depth);
        }
        bases.push({ trees: true, start, end: roots.length, bias: m.baseline, link });
      } else if (isLinear(m)) {
        if (m.coef.length !== p) return null;
        const start = coef.length;
        for (const c of m.coef) coef.push(c);
        const link = m.kind === "logistic" ? LINK_LOGISTIC : LINK_IDENTITY;
        bases.push({ trees: false, start, end: coef.length, bias: m.intercept, link });
      } else return null;
    }
  }
  const rootsA = Int32Array.from(roots);
  const depthA = Int32Array.from(depths);
  // At each tree index: the largest depth of it and the next LANES - 1 trees (of the same model).
  const groupDepthA = new Int32Array(depths.length);
  for (let t = 0; t < depths.length; t++) {
    let d = 0;
    for (let j = t; j < Math.min(t + LANES, depths.length); j++) d = Math.max(d, depths[j]!);
    groupDepthA[t] = d;
  }
  const infoA = Int32Array.from(info);
  const thrA = Float64Array.from(thr);
  const leafA = Float64Array.from(leaf);
  const coefA = Float64Array.from(coef);
  const mu = new Float64Array(bases.length);
  const nBases = bases.length;
  const hasCost = member.cost !== null;

  /**
   * Trees of one model for a row without NaN: every tree walks exactly its depth (a leaf points
   * at itself, with threshold +Infinity), four trees at a time, the child chosen without a branch
   * (x > threshold goes right). The leaf values are added in tree order.
   */
  const treesDense = (b: CompiledBase, x: Float64Array, xAt: number): number => {
    const roots = rootsA;
    const info = infoA;
    const thr = thrA;
    const end = b.end;
    let acc = b.bias;
    let t = b.start;
    for (; t + LANES <= end; t += LANES) {
      let i0 = roots[t]!;
      let i1 = roots[t + 1]!;
      let i2 = roots[t + 2]!;
      let i3 = roots[t + 3]!;
      // The group's deepest tree (trees done early stay on their leaf).
      const d = groupDepthA[t]!;
      for (let s = 0; s < d; s++) {
        const f0 = info[i0]!;
        const f1 = info[i1]!;
        const f2 = info[i2]!;
        const f3 = info[i3]!;
        i0 =
          (f0 >>> CHILD_SHIFT) +
          (((x[xAt + (f0 & (FEATURE_LIMIT - 1))]! > thr[i0]!) as unknown as number) | 0);
        i1 =
          (f1 >>> CHILD_SHIFT) +
          (((x[xAt + (f1 & (FEATURE_LIMIT - 1))]! > thr[i1]!) as unknown as number) | 0);
        i2 =
          (f2 >>> CHILD_SHIFT) +
          (((x[xAt + (f2 & (FEATURE_LIMIT - 1))]! > thr[i2]!) as unknown as number) | 0);
        i3 =
          (f3 >>> CHILD_SHIFT) +
          (((x[xAt + (f3 & (FEATURE_LIMIT - 1))]! > thr[i3]!) as unknown as number) | 0);
      }
      acc += leafA[i0]!;
      acc += leafA[i1]!;
      acc += leafA[i2]!;
      acc += leafA[i3]!;
    }
    for (; t < b.end; t++) {
      let i = roots[t]!;
      for (let s = depthA[t]!; s > 0; s--) {
        const f = info[i]!;
        i =
          (f >>> CHILD_SHIFT) + (((x[xAt + (f & (FEATURE_LIMIT - 1))]! > thr[i]!) as unknown as number) | 0);
      }
      acc += leafA[i]!;
    }
    return acc;
  };

  /** Trees of one model for a row with a NaN: x <= threshold goes left, NaN where the split sent missing values. */
  const treesMissing = (b: CompiledBase, x: Float64Array, xAt: number): number => {
    let acc = b.bias;
    for (let t = b.start; t < b.end; t++) {
      let i = rootsA[t]!;
      for (let s = depthA[t]!; s > 0; s--) {
        const f = infoA[i]!;
        const v = x[xAt + (f & (FEATURE_LIMIT - 1))]!;
        const right = Number.isNaN(v) ? (f & MISSING_RIGHT) !== 0 : v > thrA[i]!;
        i = (f >>> CHILD_SHIFT) + (right ? 1 : 0);
      }
      acc += leafA[i]!;
    }
    return acc;
  };

  const baseValue = (b: CompiledBase, x: Float64Array, xAt: number, missing: boolean): number => {
    let acc: number;
    if (b.trees) acc = missing ? treesMissing(b, x, xAt) : treesDense(b, x, xAt);
    else {
      acc = b.bias;
      for (let j = 0; j < b.end - b.start; j++) acc += x[xAt + j]! * coefA[b.start + j]!;
    }
    if (b.link === LINK_LOGISTIC) return 1 / (1 + Math.exp(-acc));
    if (b.link === LINK_EXP) return Math.exp(acc);
    return acc;
  };

  return {
    nActions: k,
    nFeatures: p,
    hasCost,
    predictRow(x, xAt, tauValue, tauCost, outAt) {
      let missing = false;
      for (let j = 0; j < p; j++) if (Number.isNaN(x[xAt + j]!)) missing = true;
      for (let m = 0; m < nBases; m++) mu[m] = baseValue(bases[m]!, x, xAt, missing);
      tauValue[outAt] = 0;
      // `0 + d` and `/ 1`: UpliftModel.predict's mean over its one member, kept for -0.
      for (let a = 1; a < k; a++) tauValue[outAt + a] = (0 + (mu[a]! - mu[0]!)) / 1;
      if (tauCost && hasCost) {
        tauCost[outAt] = 0;
        for (let a = 1; a < k; a++) tauCost[outAt + a] = (0 + (mu[k + a]! - mu[k]!)) / 1;
      }
    },
  };
}

/** The flat node arrays {@link flattenTree} appends to. */
interface FlatNodes {
  info: number[];
  thr: number[];
  leaf: number[];
}

/**
 * Append one tree to the flat arrays in breadth-first order, each internal node's two children
 * side by side (left, then right): `info` packs the children's index, whether missing values go
 * right and the split feature, `thr` the raw threshold (+Infinity for null). A leaf points at
 * itself with threshold +Infinity (every value, NaN included, stays), so a walk may take more
 * steps than the leaf's depth; its value is in `leaf` (0 for internal nodes). Returns the tree's
 * depth (the steps every walk takes), or -1 when the arrays would outgrow the packing.
 */
function flattenTree(m: HistGradientBoostingJson, root: number, out: FlatNodes): number {
  const { info, thr, leaf } = out;
  const queue: number[] = [root];
  const slot: number[] = [info.length];
  const level: number[] = [0];
  let depth = 0;
  info.push(0);
  thr.push(0);
  leaf.push(0);
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    const at = slot[q]!;
    const f = m.feature[node]!;
    if (f < 0) {
      if (at >= NODE_LIMIT) return -1;
      info[at] = at * CHILD_SCALE;
      thr[at] = Number.POSITIVE_INFINITY;
      leaf[at] = m.value[node]!;
      if (level[q]! > depth) depth = level[q]!;
      continue;
    }
    if (f >= FEATURE_LIMIT) return -1;
    const child = info.length;
    if (child + 2 > NODE_LIMIT) return -1;
    info.push(0, 0);
    thr.push(0, 0);
    leaf.push(0, 0);
    queue.push(m.left[node]!, m.right[node]!);
    slot.push(child, child + 1);
    level.push(level[q]! + 1, level[q]! + 1);
    info[at] = child * CHILD_SCALE + (m.missingLeft[node] === 1 ? 0 : MISSING_RIGHT) + f;
    const t = m.threshold[node];
    thr[at] = t === null || t === undefined ? Number.POSITIVE_INFINITY : t;
  }
  return depth;
}
