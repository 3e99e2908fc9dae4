import { heapqPop, heapqPush } from "@cia/core/parity";
import { type GrowerBuffers, allocateGrowerBuffers } from "./grower-buffers.js";
import type { GrowerConfig } from "./grower-config.js";
import type { HistGradientBoostingParts } from "./hist-gradient-boosting-model.js";
import { HistogramBuilder, histogramWidth } from "./histogram-builder.js";
import { Splitter, type SplitRecord, emptySplit, nodeValue } from "./splitter.js";

/**
 * The histogram tree grower behind `HistGradientBoosting` (internal): the best-first growth
 * loop, the nodes and the leaves, as sklearn's `TreeGrower` (1.2). The histograms come from a
 * {@link HistogramBuilder}, the split search and the partition of rows from a {@link Splitter}.
 * One grower is created per fit and reused for every tree: all buffers (partition, ordered
 * gradients, histogram pool, node arrays) are preallocated, so growing a tree allocates almost
 * nothing.
 *
 * Semantics: leaf-wise growth ordered by gain with Python's heapq tie order (`heapqPush` /
 * `heapqPop` of @cia/core/parity, "smaller" = larger gain as sklearn's `TreeNode.__lt__`), the root
 * valued 0 like sklearn, min samples / hessian per leaf, histogram subtraction for the larger
 * child, leaf value -G/(H+l2) * learning rate.
 *
 * @example
 * const grower = new TreeGrower(config);
 * grower.partition.set(rows); // or all rows in order, fullRows = true
 * const tree = grower.grow(grower.gradients, grower.hessians, n, true, features);
 */
export class TreeGrower {
  private readonly c: GrowerConfig;
  private readonly buf: GrowerBuffers;
  private readonly histograms: HistogramBuilder;
  private readonly splitter: Splitter;
  private readonly best = emptySplit();
  /** Sample indices; every node owns a contiguous range. */
  readonly partition: Int32Array;
  /** Gradient and hessian buffers; callers may compute into them to skip a copy per tree. */
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;

  // node arrays
  private nNodes = 0;
  private readonly nStart: Int32Array;
  private readonly nEnd: Int32Array;
  private readonly nDepth: Int32Array;
  private readonly nG: Float64Array;
  private readonly nH: Float64Array;
  private readonly nC: Float64Array;
  private readonly nValue: Float64Array;
  private readonly nHist: Int32Array;
  private readonly nLeaf: Uint8Array;
  private readonly sFeature: Int32Array;
  private readonly sBin: Int32Array;
  private readonly sMissLeft: Uint8Array;
  private readonly sGain: Float64Array;
  private readonly sGL: Float64Array;
  private readonly sHL: Float64Array;
  private readonly sCL: Float64Array;
  private readonly sCat: Uint32Array;
  private readonly tLeft: Int32Array;
  private readonly tRight: Int32Array;
  private readonly heap: number[] = [];
  /** heapq's order: node a before b when its gain is larger (sklearn's `TreeNode.__lt__`). */
  private readonly largerGain = (a: number, b: number): boolean => this.sGain[a]! > this.sGain[b]!;
  private nFinalized = 0;
  private features: Int32Array;

  constructor(config: GrowerConfig) {
    this.c = config;
    const n = config.n;
    // Every split leaves >= minSamplesLeaf (weighted) rows on each side, and every leaf holds a row.
    let totalWeight = n;
    if (config.weights) {
      totalWeight = 0;
      for (let i = 0; i < n; i++) totalWeight += config.weights[i]!;
    }
    const maxLeaves = Math.max(
      1,
      Math.min(config.maxLeafNodes, Math.floor(totalWeight / config.minSamplesLeaf) + 1, n),
    );
    const cap = 2 * maxLeaves + 1;
    // Live histograms: one per leaf waiting in the heap, the node being split and its new child.
    const histSize = config.p * config.nBins * histogramWidth(config);
    this.buf = allocateGrowerBuffers(config, histSize, maxLeaves + 2);
    this.histograms = new HistogramBuilder(config, this.buf);
    this.splitter = new Splitter(config, this.buf);
    this.partition = this.buf.partition;
    this.gradients = this.buf.gradients;
    this.hessians = this.buf.hessians;
    this.nStart = new Int32Array(cap);
    this.nEnd = new Int32Array(cap);
    this.nDepth = new Int32Array(cap);
    this.nG = new Float64Array(cap);
    this.nH = new Float64Array(cap);
    this.nC = new Float64Array(cap);
    this.nValue = new Float64Array(cap);
    this.nHist = new Int32Array(cap);
    this.nLeaf = new Uint8Array(cap);
    this.sFeature = new Int32Array(cap);
    this.sBin = new Int32Array(cap);
    this.sMissLeft = new Uint8Array(cap);
    this.sGain = new Float64Array(cap);
    this.sGL = new Float64Array(cap);
    this.sHL = new Float64Array(cap);
    this.sCL = new Float64Array(cap);
    this.sCat = new Uint32Array(cap * 8);
    this.tLeft = new Int32Array(cap);
    this.tRight = new Int32Array(cap);
    this.features = new Int32Array(config.p);
    for (let f = 0; f < config.p; f++) this.features[f] = f;
  }

  /**
   * Grow one tree on the first `m` entries of `partition` (set by the caller; all rows in
   * increasing order when `fullRows`), using gradients `g` and hessians `h`, over the given
   * features. Returns the flat tree; `applyToRaw` then adds leaf values to training predictions.
   */
  grow(gIn: Float32Array, hIn: Float32Array, m: number, fullRows: boolean, features: Int32Array): GrownTree {
    const c = this.c;
    // The kernels read gradients from their own memory: copy unless the caller computed in place.
    let g = gIn;
    let h = hIn;
    if (this.buf.k) {
      if (g !== this.gradients) this.gradients.set(g.subarray(0, c.n));
      if (!c.constantHessian && h !== this.hessians) this.hessians.set(h.subarray(0, c.n));
      g = this.gradients;
      h = this.hessians;
    }
    this.features = features;
    this.nNodes = 0;
    this.nFinalized = 0;
    this.heap.length = 0;
    const root = this.newNode(0, m, 0);
    // Root sums: sequential over rows in index order, like sklearn's sum_parallel.
    const part = this.partition;
    let sg = 0;
    let sh = 0;
    let sc = 0;
    const w = c.weights;
    if (fullRows) {
      for (let i = 0; i < m; i++) sg += g[i]!;
    } else {
      for (let k = 0; k < m; k++) sg += g[part[k]!]!;
    }
    if (w) {
      for (let k = 0; k < m; k++) sc += w[fullRows ? k : part[k]!]!;
    } else sc = m;
    if (c.constantHessian) sh = sc;
    else if (fullRows) for (let i = 0; i < m; i++) sh += h[i]!;
    else for (let k = 0; k < m; k++) sh += h[part[k]!]!;
    this.nG[root] = sg;
    this.nH[root] = sh;
    this.nC[root] = sc;
    this.nValue[root] = 0; // sklearn initialises the root with value 0 (also its value if it stays a leaf)
    if (sc < 2 * c.minSamplesLeaf || sh < c.minHessianLeaf) {
      this.finalize(root);
    } else {
      const slot = this.histograms.alloc();
      this.nHist[root] = slot;
      const hist = this.histograms.histogram(slot);
      if (fullRows) this.histograms.buildRoot(hist, g, h, m, features);
      else this.histograms.buildNode(hist, 0, m, g, h, features);
      this.findSplitAndPush(root);
    }
    while (this.heap.length > 0) this.splitNext(g, h);
    // release any histogram still held
    for (let k = 0; k < this.nNodes; k++) this.releaseHist(k);
    return this.export();
  }

  /** Add each leaf's value to the raw predictions of the rows in its partition range. */
  applyToRaw(tree: GrownTree, raw: Float64Array): void {
    const part = this.partition;
    for (let k = 0; k < this.nNodes; k++) {
      if (!this.nLeaf[k]) continue;
      const v = tree.value[k]!;
      const e = this.nEnd[k]!;
      for (let j = this.nStart[k]!; j < e; j++) raw[part[j]!]! += v;
    }
  }

  private releaseHist(node: number): void {
    const s = this.nHist[node]!;
    if (s >= 0) {
      this.histograms.release(s);
      this.nHist[node] = -1;
    }
  }

  private newNode(start: number, end: number, depth: number): number {
    const k = this.nNodes++;
    this.nStart[k] = start;
    this.nEnd[k] = end;
    this.nDepth[k] = depth;
    this.nHist[k] = -1;
    this.nLeaf[k] = 0;
    this.sFeature[k] = -1;
    this.sGain[k] = -1;
    this.tLeft[k] = -1;
    this.tRight[k] = -1;
    return k;
  }

  private finalize(node: number): void {
    this.nLeaf[node] = 1;
    this.nFinalized++;
  }

  /** Find the node's best split; push it onto the heap if it has one, else make it a leaf. */
  private findSplitAndPush(node: number): void {
    const best = this.best;
    const hist = this.histograms.histogram(this.nHist[node]!);
    this.splitter.findBestSplit(
      hist,
      this.nG[node]!,
      this.nH[node]!,
      this.nC[node]!,
      this.nValue[node]!,
      this.features,
      best,
    );
    this.sGain[node] = best.gain;
    this.sFeature[node] = best.feature;
    this.sBin[node] = best.bin;
    this.sMissLeft[node] = best.missingLeft;
    this.sGL[node] = best.gl;
    this.sHL[node] = best.hl;
    this.sCL[node] = best.cl;
    this.sCat.set(best.catBits, node * 8);
    if (best.gain <= 0) this.finalize(node);
    else heapqPush(this.heap, node, this.largerGain);
  }

  /** The node's split as the splitter's record (for partitioning its rows). */
  private splitOf(node: number): SplitRecord {
    const s = this.best;
    s.feature = this.sFeature[node]!;
    s.bin = this.sBin[node]!;
    s.missingLeft = this.sMissLeft[node]!;
    s.catBits.set(this.sCat.subarray(node * 8, node * 8 + 8));
    return s;
  }

  private splitNext(g: Float32Array, h: Float32Array): void {
    const c = this.c;
    const node = heapqPop(this.heap, this.largerGain)!;
    const start = this.nStart[node]!;
    const end = this.nEnd[node]!;
    const feature = this.sFeature[node]!;
    const mid = this.splitter.splitIndices(start, end, this.splitOf(node));
    const depth = this.nDepth[node]! + 1;
    const nLeaves = this.nFinalized + this.heap.length + 2;
    const left = this.newNode(start, mid, depth);
    const right = this.newNode(mid, end, depth);
    this.tLeft[node] = left;
    this.tRight[node] = right;
    const G = this.nG[node]!;
    const H = this.nH[node]!;
    const C = this.nC[node]!;
    this.nG[left] = this.sGL[node]!;
    this.nH[left] = this.sHL[node]!;
    this.nC[left] = this.sCL[node]!;
    this.nG[right] = G - this.sGL[node]!;
    this.nH[right] = H - this.sHL[node]!;
    this.nC[right] = C - this.sCL[node]!;
    this.nValue[left] = nodeValue(this.nG[left]!, this.nH[left]!, c.l2);
    this.nValue[right] = nodeValue(this.nG[right]!, this.nH[right]!, c.l2);
    if (!c.hasMissing[feature]) {
      // No missing values seen in training: at prediction they follow the larger child.
      const ml = mid - start > end - mid ? 1 : 0;
      this.sMissLeft[node] = ml;
      if (c.isCategorical[feature]) {
        const b = c.missingBin;
        const wi = node * 8 + (b >>> 5);
        if (ml) this.sCat[wi] = this.sCat[wi]! | (1 << (b & 31));
        else this.sCat[wi] = this.sCat[wi]! & ~(1 << (b & 31));
      }
    }
    if (nLeaves === c.maxLeafNodes) {
      this.finalize(left);
      this.finalize(right);
      while (this.heap.length > 0) this.finalize(this.heap.pop()!);
      this.releaseHist(node);
      return;
    }
    if (depth === c.maxDepth) {
      this.finalize(left);
      this.finalize(right);
      this.releaseHist(node);
      return;
    }
    if (this.nC[left]! < 2 * c.minSamplesLeaf) this.finalize(left);
    if (this.nC[right]! < 2 * c.minSamplesLeaf) this.finalize(right);
    const splitLeft = !this.nLeaf[left];
    const splitRight = !this.nLeaf[right];
    if (splitLeft || splitRight) {
      const leftSmaller = mid - start < end - mid;
      const small = leftSmaller ? left : right;
      const large = leftSmaller ? right : left;
      const slot = this.histograms.alloc();
      this.nHist[small] = slot;
      const smallHist = this.histograms.histogram(slot);
      this.histograms.buildNode(
        smallHist,
        this.nStart[small]!,
        this.nEnd[small]! - this.nStart[small]!,
        g,
        h,
        this.features,
      );
      // The larger child takes over the parent's histogram: parent - smaller, in place.
      const parentSlot = this.nHist[node]!;
      this.nHist[node] = -1;
      this.nHist[large] = parentSlot;
      this.histograms.subtract(this.histograms.histogram(parentSlot), smallHist, this.features);
      if (splitLeft) this.findSplitAndPush(left);
      if (splitRight) this.findSplitAndPush(right);
      if (!splitLeft) this.releaseHist(left);
      if (!splitRight) this.releaseHist(right);
    }
    this.releaseHist(node);
  }

  private export(): GrownTree {
    const k = this.nNodes;
    const feature = new Int32Array(k);
    const value = new Float64Array(k);
    const catIndex = new Int32Array(k).fill(-1);
    let nCat = 0;
    for (let i = 0; i < k; i++) {
      if (this.nLeaf[i]) {
        feature[i] = -1;
        value[i] = this.nValue[i]! * this.c.learningRate;
      } else {
        feature[i] = this.sFeature[i]!;
        if (this.c.isCategorical[feature[i]!]) catIndex[i] = nCat++;
      }
    }
    const catBitsets = new Uint32Array(nCat * 8);
    for (let i = 0; i < k; i++)
      if (catIndex[i]! >= 0) catBitsets.set(this.sCat.subarray(i * 8, i * 8 + 8), catIndex[i]! * 8);
    const leafMask = (src: Int32Array): Int32Array => {
      const out = src.slice(0, k);
      for (let i = 0; i < k; i++) if (this.nLeaf[i]) out[i] = -1;
      return out;
    };
    const missingLeft = this.sMissLeft.slice(0, k);
    const binThreshold = leafMask(this.sBin);
    for (let i = 0; i < k; i++) if (this.nLeaf[i]) missingLeft[i] = 0;
    return {
      feature,
      binThreshold,
      missingLeft,
      left: leafMask(this.tLeft),
      right: leafMask(this.tRight),
      value,
      catIndex,
      catBitsets,
    };
  }
}

/**
 * A grown tree in flat arrays, node 0 its root: the per-node fields of the model format (see
 * `HistGradientBoostingParts`), with children numbered within the tree.
 */
export type GrownTree = Pick<
  HistGradientBoostingParts,
  "feature" | "binThreshold" | "missingLeft" | "left" | "right" | "value" | "catIndex" | "catBitsets"
>;
