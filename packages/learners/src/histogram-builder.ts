import type { GrowerBuffers } from "./grower-buffers.js";
import type { GrowerConfig } from "./grower-config.js";
import { type HistMode, jsHistKernel } from "./histogram-kernels.js";

/**
 * Gradient histograms of a node's rows, per feature and bin (internal), as sklearn's
 * `HistogramBuilder`: a full build over the root's rows, a build over a node's partition range
 * (its gradients gathered into contiguous "ordered" buffers first), and the subtraction trick
 * (larger child = parent - smaller child). It also owns the pool of live histograms.
 *
 * Layout: histogram `hist[f * nBins * W + b * W + c]`, channel c = 0 gradient, 1 count (sum of
 * weights), 2 hessian (absent, W = 2, when the hessian is constant and equals the count). Only the
 * bins feature f can use are written: its non-missing bins and the missing bin.
 *
 * @example
 * const hb = new HistogramBuilder(config, buffers);
 * const slot = hb.alloc();
 * hb.buildRoot(hb.histogram(slot), g, h, n, features);
 */
export class HistogramBuilder {
  /** Doubles per histogram bin: (g, count) or (g, count, h). */
  readonly W: number;
  /** Doubles per histogram (all features). */
  readonly histSize: number;
  private readonly c: GrowerConfig;
  private readonly buf: GrowerBuffers;
  private readonly pool: Float64Array[];
  private readonly freeSlots: number[] = [];
  private readonly rootCounts: Float64Array | null;
  private rootCountsReady = false;

  constructor(config: GrowerConfig, buffers: GrowerBuffers) {
    this.c = config;
    this.buf = buffers;
    this.W = histogramWidth(config);
    this.histSize = config.p * config.nBins * this.W;
    this.pool = buffers.pool;
    for (let s = this.pool.length - 1; s >= 0; s--) this.freeSlots.push(s);
    // Unweighted root bin counts never change while every row is in every tree: cache them.
    this.rootCounts = config.weights ? null : new Float64Array(config.p * config.nBins);
  }

  /** Take a free histogram slot (JS path: a new histogram when none is free). */
  alloc(): number {
    const s = this.freeSlots.pop();
    if (s !== undefined) return s;
    if (this.buf.k)
      throw new Error("tree grower: histogram slots exhausted (a bug: the bound is maxLeaves + 2)");
    this.pool.push(new Float64Array(this.histSize));
    return this.pool.length - 1;
  }

  /** Return a slot to the pool. */
  release(slot: number): void {
    this.freeSlots.push(slot);
  }

  /** The histogram in a slot. */
  histogram(slot: number): Float64Array {
    return this.pool[slot]!;
  }

  /**
   * Histogram of rows 0..n-1 in index order (the root of a tree grown on all rows), straight from
   * the full gradient arrays. Unweighted constant-hessian roots reuse the bin counts cached by the
   * first full build and add only gradients.
   */
  buildRoot(hist: Float64Array, g: Float32Array, h: Float32Array, n: number, features: Int32Array): void {
    const c = this.c;
    const W = this.W;
    const stride = c.nBins * W;
    const counts = this.rootCounts;
    const gOnly = c.constantHessian && counts !== null && this.rootCountsReady;
    const mode: HistMode = gOnly ? "g" : c.constantHessian ? "gc" : "ghc";
    this.clear(hist, features);
    const { k, at } = this.buf;
    const w = this.buf.weights ?? this.buf.ones;
    forEachFeatureBlock(features, (f, width) => {
      const o = f * n;
      const b = f * stride;
      if (k) {
        const wOff = this.buf.weights ? at!.w : at!.ones;
        k.hist[`root_${mode}${width}`]!(
          at!.binned + o,
          n,
          0,
          n,
          at!.g,
          at!.h,
          wOff,
          hist.byteOffset + 8 * b,
          8 * stride,
        );
      } else
        jsHistKernel(false, mode, width)(
          this.buf.binned,
          o,
          n,
          this.buf.partition,
          0,
          n,
          g,
          h,
          w,
          hist,
          b,
          stride,
        );
    });
    if (counts === null) return;
    const nb = c.nBins;
    for (let r = 0; r < features.length; r++) {
      const f = features[r]!;
      const base = f * stride;
      const used = c.nBinsNonMissing[f]!;
      for (let b = 0; b < nb; b++) {
        if (b >= used && b !== c.missingBin) continue;
        if (gOnly) hist[base + b * W + 1] = counts[f * nb + b]!;
        else counts[f * nb + b] = hist[base + b * W + 1]!;
      }
    }
    if (features.length === c.p) this.rootCountsReady = true;
  }

  /**
   * Histogram of the m rows partition[start .. start + m): their gradients (hessians, weights)
   * are gathered into the ordered buffers, so the kernels read them contiguously at k.
   */
  buildNode(
    hist: Float64Array,
    start: number,
    m: number,
    g: Float32Array,
    h: Float32Array,
    features: Int32Array,
  ): void {
    const c = this.c;
    const { k, at, partition, og, oh } = this.buf;
    const weighted = this.buf.weights !== null;
    if (k) {
      const part = at!.part + 4 * start;
      k.gatherF32(at!.og, at!.g, part, m);
      if (!c.constantHessian) k.gatherF32(at!.oh, at!.h, part, m);
      if (weighted) k.gatherF64(at!.ow, at!.w, part, m);
    } else {
      gather(og, g, partition, start, m);
      if (!c.constantHessian) gather(oh, h, partition, start, m);
      if (weighted) gather(this.buf.ow, this.buf.weights!, partition, start, m);
    }
    const ow = weighted ? this.buf.ow : this.buf.ones;
    const stride = c.nBins * this.W;
    this.clear(hist, features);
    const mode: HistMode = c.constantHessian ? "gc" : "ghc";
    const n = c.n;
    forEachFeatureBlock(features, (f, width) => {
      if (k) {
        const owOff = weighted ? at!.ow : at!.ones;
        const histOff = hist.byteOffset + 8 * f * stride;
        k.hist[`node_${mode}${width}`]!(
          at!.binned + f * n,
          n,
          at!.part + 4 * start,
          m,
          at!.og,
          at!.oh,
          owOff,
          histOff,
          8 * stride,
        );
      } else
        jsHistKernel(true, mode, width)(
          this.buf.binned,
          f * n,
          n,
          partition,
          start,
          m,
          og,
          oh,
          ow,
          hist,
          f * stride,
          stride,
        );
    });
  }

  /** parent -= small over the bins each feature uses: the parent's histogram becomes the larger child's. */
  subtract(parent: Float64Array, small: Float64Array, features: Int32Array): void {
    const W = this.W;
    const stride = this.c.nBins * W;
    const k = this.buf.k;
    for (let q = 0; q < features.length; q++) {
      const f = features[q]!;
      const base = f * stride;
      const used = this.c.nBinsNonMissing[f]! * W;
      const mb = base + this.c.missingBin * W;
      if (k) {
        k.subtract(parent.byteOffset + 8 * base, small.byteOffset + 8 * base, used);
        k.subtract(parent.byteOffset + 8 * mb, small.byteOffset + 8 * mb, W);
        continue;
      }
      for (let j = base; j < base + used; j++) parent[j] = parent[j]! - small[j]!;
      for (let j = mb; j < mb + W; j++) parent[j] = parent[j]! - small[j]!;
    }
  }

  /** Zero the bins each feature can use (non-missing bins and the missing bin); others stay unused. */
  private clear(hist: Float64Array, features: Int32Array): void {
    const W = this.W;
    const stride = this.c.nBins * W;
    for (let q = 0; q < features.length; q++) {
      const f = features[q]!;
      const base = f * stride;
      hist.fill(0, base, base + this.c.nBinsNonMissing[f]! * W);
      const mb = base + this.c.missingBin * W;
      hist.fill(0, mb, mb + W);
    }
  }
}

/** Doubles per histogram bin for a config: 2 (g, count) with a constant hessian, else 3. */
export function histogramWidth(config: GrowerConfig): number {
  return config.constantHessian ? 2 : 3;
}

/**
 * Walk `features` in blocks of consecutive indices of 8, 4 or 1 (the usual all-features case is
 * one long run), calling `fn(firstFeature, width)`: the wide kernels add a block per row pass.
 */
function forEachFeatureBlock(features: Int32Array, fn: (f: number, width: number) => void): void {
  let q = 0;
  while (q < features.length) {
    const f = features[q]!;
    let run = 1;
    while (run < 8 && q + run < features.length && features[q + run] === f + run) run++;
    const width = run >= 8 ? 8 : run >= 4 ? 4 : 1;
    fn(f, width);
    q += width;
  }
}

function gather<T extends Float32Array | Float64Array>(
  dst: T,
  src: T,
  part: Int32Array,
  start: number,
  m: number,
): void {
  for (let k = 0; k < m; k++) dst[k] = src[part[start + k]!]!;
}
