import type { GrowerBuffers } from "./grower-buffers.js";
import type { GrowerConfig } from "./grower-config.js";
import { histogramWidth } from "./histogram-builder.js";

/** Categories need this much (hessian-scaled) support to be split on, as sklearn's MIN_CAT_SUPPORT. */
const MIN_CAT_SUPPORT = 10;

/**
 * A node's value before shrinkage, -G / (H + l2), as sklearn's `compute_node_value` (the tiny
 * constant keeps an empty hessian finite).
 *
 * @example
 * nodeValue(-4, 2, 0); // 2
 */
export function nodeValue(g: number, h: number, l2: number): number {
  return -g / (h + l2 + 1e-15);
}

/** The best split found for a node (written by {@link Splitter.findBestSplit}). */
export interface SplitRecord {
  /** Gain of the split; -1 when no split is allowed. */
  gain: number;
  /** Split feature, -1 when none. */
  feature: number;
  /** Numeric splits: bins <= bin go left. */
  bin: number;
  /** Missing values go left (1) or right (0). */
  missingLeft: number;
  /** Gradient, hessian and count sums of the left child. */
  gl: number;
  hl: number;
  cl: number;
  isCategorical: boolean;
  /** Categorical splits: 256-bit set of the bins that go left. */
  readonly catBits: Uint32Array;
}

/**
 * An empty {@link SplitRecord}.
 *
 * @example
 * const best = emptySplit(); splitter.findBestSplit(hist, G, H, C, value, features, best);
 */
export function emptySplit(): SplitRecord {
  return clearSplit({ catBits: new Uint32Array(8) } as SplitRecord);
}

/** Reset a record to "no split" (the category bits are left as they are). */
function clearSplit(r: SplitRecord): SplitRecord {
  r.gain = -1;
  r.feature = -1;
  r.bin = 0;
  r.missingLeft = 0;
  r.gl = 0;
  r.hl = 0;
  r.cl = 0;
  r.isCategorical = false;
  return r;
}

/** Gain of a split with child sums (gl, hl) and (gr, hr) of a node with `loss` = G v, left term first as sklearn. */
function splitGain(loss: number, gl: number, hl: number, gr: number, hr: number, l2: number): number {
  return loss - gl * nodeValue(gl, hl, l2) - gr * nodeValue(gr, hr, l2);
}

/**
 * Split search on a node's histograms and the partition of its rows (internal), as sklearn's
 * `Splitter` (1.2): gain = G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2) written as
 * `loss - G_L v_L - G_R v_R` with `loss = G v` (v the node values, which makes the root, whose
 * value is 0 as in sklearn, bit-identical too); min samples and min hessian per child; numeric
 * features scanned left to right (missing values right) and, when the feature had missing values,
 * right to left (missing values left); categorical features by sklearn's sorted G/(H + 10) scan.
 * Features are visited in order and a later candidate must be strictly better, so ties keep the
 * first, as sklearn.
 *
 * @example
 * const splitter = new Splitter(config, buffers);
 * splitter.findBestSplit(hist, G, H, C, value, features, best);
 * const mid = splitter.splitIndices(start, end, best);
 */
export class Splitter {
  private readonly c: GrowerConfig;
  private readonly buf: GrowerBuffers;
  private readonly W: number;
  private readonly catOrder: Int32Array;
  private readonly catValue: Float64Array;
  private readonly cat = emptySplit();
  private readonly scan = emptySplit();
  // The node being searched (set by findBestSplit for the scans): sums and loss = G v.
  private G = 0;
  private H = 0;
  private C = 0;
  private loss = 0;

  constructor(config: GrowerConfig, buffers: GrowerBuffers) {
    this.c = config;
    this.buf = buffers;
    this.W = histogramWidth(config);
    this.catOrder = new Int32Array(config.nBins);
    this.catValue = new Float64Array(config.nBins);
  }

  /** Best split over `features` of a node with sums (G, H, C) and value `value`, into `best`. */
  findBestSplit(
    hist: Float64Array,
    G: number,
    H: number,
    C: number,
    value: number,
    features: Int32Array,
    best: SplitRecord,
  ): void {
    const c = this.c;
    const stride = c.nBins * this.W;
    this.G = G;
    this.H = H;
    this.C = C;
    this.loss = G * value;
    clearSplit(best);
    for (let q = 0; q < features.length; q++) {
      const f = features[q]!;
      const base = f * stride;
      const cand = c.isCategorical[f]
        ? this.categoricalSplit(f, hist, base)
        : this.numericSplit(f, hist, base, best.gain);
      if (cand.gain > best.gain) {
        best.gain = cand.gain;
        best.feature = f;
        // A categorical winner keeps the previous best's bin: the model format has always stored
        // that (unused) value as the node's binThreshold, and the bytes must not change.
        if (!cand.isCategorical) best.bin = cand.bin;
        best.missingLeft = cand.missingLeft;
        best.gl = cand.gl;
        best.hl = cand.hl;
        best.cl = cand.cl;
        best.isCategorical = cand.isCategorical;
        if (cand.isCategorical) best.catBits.set(cand.catBits);
      }
    }
    if (best.feature < 0) best.gain = -1;
    if (!best.isCategorical) best.catBits.fill(0);
  }

  /**
   * Stable in-place partition of partition[start, end) by a split (sklearn's `split_indices`):
   * rows going left first, both sides in their previous order. Returns the first right index.
   */
  splitIndices(start: number, end: number, split: SplitRecord): number {
    const c = this.c;
    const lut = this.buf.lut;
    const f = split.feature;
    if (c.isCategorical[f]) {
      for (let b = 0; b < 256; b++) lut[b] = (split.catBits[b >>> 5]! >>> (b & 31)) & 1;
    } else {
      const thr = split.bin;
      for (let b = 0; b < 256; b++) lut[b] = b <= thr ? 1 : 0;
      if (split.missingLeft) lut[c.missingBin] = 1;
    }
    const { k, at } = this.buf;
    if (k) {
      const col = at!.binned + f * c.n;
      return start + k.partition(at!.part + 4 * start, at!.scratch, col, at!.lut, end - start);
    }
    return partitionKernel(this.buf.partition, this.buf.scratch, this.buf.binned, f * c.n, lut, start, end);
  }

  /**
   * Best numeric split of feature f whose gain beats `bar` (the best so far): the WebAssembly scans
   * record only strictly better candidates, so seeding them with the bar keeps the first-best tie
   * rule and lets them reject candidates more cheaply.
   */
  private numericSplit(f: number, hist: Float64Array, base: number, bar: number): SplitRecord {
    const c = this.c;
    const r = clearSplit(this.scan);
    const nbnm = c.nBinsNonMissing[f]!;
    const hasMissing = c.hasMissing[f]!;
    const k = this.buf.k;
    if (k) {
      const o = this.buf.splitOut;
      o.fill(0);
      o[0] = bar;
      const ptr = hist.byteOffset + 8 * base;
      const constH = c.constantHessian;
      const hoff = constH ? 8 : 16;
      const msl = c.minSamplesLeaf;
      const mh = c.minHessianLeaf;
      const out = this.buf.at!.split;
      const lr = constH ? k.scanLRConst : k.scanLR;
      const { G, H, C, loss } = this;
      lr(ptr, nbnm - 1 + hasMissing, 8 * this.W, hoff, G, H, C, loss, msl, mh, c.l2, out);
      const rl = constH ? k.scanRLConst : k.scanRL;
      if (hasMissing) rl(ptr, nbnm - 1, 8 * this.W, hoff, G, H, C, loss, msl, mh, c.l2, out);
      if (o[0]! > bar) {
        r.gain = o[0]!;
        r.bin = o[1]!;
        r.gl = o[2]!;
        r.hl = o[3]!;
        r.cl = o[4]!;
        r.missingLeft = o[5]!;
      }
      return r;
    }
    // left to right, missing values (if any) right; then right to left, missing values left
    this.scanBins(hist, base, nbnm - 1 + hasMissing, true);
    if (hasMissing) this.scanBins(hist, base, nbnm - 1, false);
    return r;
  }

  /**
   * One direction of the numeric scan over `count` split candidates, updating `this.scan` when a
   * candidate beats it. Left to right the running sums are the left child's and candidate b reads
   * bin b; right to left they are the right child's and candidate b (bins <= b go left) reads bin
   * b + 1. The gain subtracts the left child's term first either way, as sklearn.
   */
  private scanBins(hist: Float64Array, base: number, count: number, leftToRight: boolean): void {
    const c = this.c;
    const r = this.scan;
    const W = this.W;
    const { G, H, C, loss } = this;
    const constH = c.constantHessian;
    const msl = c.minSamplesLeaf;
    const mh = c.minHessianLeaf;
    let ga = 0;
    let ha = 0;
    let ca = 0;
    for (let t = 0; t < count; t++) {
      const b = leftToRight ? t : count - 1 - t;
      const j = base + (leftToRight ? b : b + 1) * W;
      // An empty bin (all channels exactly 0) repeats the previous candidate's sums, so its gain
      // cannot beat it (ties keep the first): skipping it changes nothing, and in small nodes
      // most bins are empty. Subtracted histograms can leave rounding residue in g with a zero
      // count, hence the test on every channel.
      if (hist[j + 1] === 0 && hist[j] === 0 && (constH || hist[j + 2] === 0)) continue;
      ca += hist[j + 1]!;
      ha += constH ? hist[j + 1]! : hist[j + 2]!;
      ga += hist[j]!;
      if (ca < msl) continue;
      if (C - ca < msl) break;
      if (ha < mh) continue;
      if (H - ha < mh) break;
      const gain = leftToRight
        ? splitGain(loss, ga, ha, G - ga, H - ha, c.l2)
        : splitGain(loss, G - ga, H - ha, ga, ha, c.l2);
      if (gain > r.gain && gain > 0) {
        r.gain = gain;
        r.bin = b;
        r.gl = leftToRight ? ga : G - ga;
        r.hl = leftToRight ? ha : H - ha;
        r.cl = leftToRight ? ca : C - ca;
        r.missingLeft = leftToRight ? 0 : 1;
      }
    }
  }

  /** sklearn's categorical split: categories sorted by G/(H + 10), scanned from both ends to the middle. */
  private categoricalSplit(f: number, hist: Float64Array, base: number): SplitRecord {
    const c = this.c;
    const r = this.cat;
    const { G, H, C, loss } = this;
    r.gain = -1;
    r.isCategorical = true;
    const constH = c.constantHessian;
    const W = this.W;
    const order = this.catOrder;
    const val = this.catValue;
    const supportFactor = C / H;
    let used = 0;
    const nbnm = c.nBinsNonMissing[f]!;
    const consider = (b: number): void => {
      const j = base + b * W;
      const hb = constH ? hist[j + 1]! : hist[j + 2]!;
      if (hb * supportFactor >= MIN_CAT_SUPPORT) {
        order[used] = b;
        val[b] = hist[j]! / (hb + MIN_CAT_SUPPORT);
        used++;
      }
    };
    for (let b = 0; b < nbnm; b++) consider(b);
    if (c.hasMissing[f]) consider(c.missingBin);
    if (used <= 1) return r;
    const sorted = Array.from(order.subarray(0, used)).sort((a, b) => val[a]! - val[b]!);
    let bestGain = -1;
    let bestThresh = -1;
    let bestDir = 0;
    for (const dir of [1, -1]) {
      const middle = dir === 1 ? (used + 1) >> 1 : ((used + 1) >> 1) - 1;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let i = 0; i < middle; i++) {
        const si = dir === 1 ? i : used - 1 - i;
        const j = base + sorted[si]! * W;
        cl += hist[j + 1]!;
        hl += constH ? hist[j + 1]! : hist[j + 2]!;
        gl += hist[j]!;
        const cr = C - cl;
        const hr = H - hl;
        const gr = G - gl;
        if (cl < c.minSamplesLeaf || hl < c.minHessianLeaf) continue;
        if (cr < c.minSamplesLeaf || hr < c.minHessianLeaf) break;
        const gain = splitGain(loss, gl, hl, gr, hr, c.l2);
        if (gain > bestGain && gain > 0) {
          bestGain = gain;
          bestThresh = si;
          bestDir = dir;
          r.gl = gl;
          r.hl = hl;
          r.cl = cl;
        }
      }
    }
    if (bestThresh < 0) return r;
    const bits = r.catBits;
    bits.fill(0);
    if (bestDir === 1) for (let si = 0; si <= bestThresh; si++) setBit(bits, sorted[si]!);
    else for (let si = used - 1; si >= bestThresh; si--) setBit(bits, sorted[si]!);
    r.missingLeft = (bits[c.missingBin >>> 5]! >>> (c.missingBin & 31)) & 1;
    r.gain = bestGain;
    return r;
  }
}

function setBit(bits: Uint32Array, b: number): void {
  bits[b >>> 5] = bits[b >>> 5]! | (1 << (b & 31));
}

// Hot loop in a small top-level function with indexed access only: V8 optimizes it once and it
// never deoptimizes on property loads after the loop.
function partitionKernel(
  part: Int32Array,
  scratch: Int32Array,
  binned: Uint8Array,
  off: number,
  lut: Uint8Array,
  start: number,
  end: number,
): number {
  // Branch-free: every index is written to both sides and only the matching cursor advances,
  // so random left/right decisions cost no mispredicted branches.
  let l = start;
  let r = 0;
  for (let k = start; k < end; k++) {
    const i = part[k]!;
    const goLeft = lut[binned[off + i]!]!;
    part[l] = i;
    scratch[r] = i;
    l += goLeft;
    r += 1 - goLeft;
  }
  for (let k = 0; k < r; k++) part[l + k] = scratch[k]!;
  return l;
}
