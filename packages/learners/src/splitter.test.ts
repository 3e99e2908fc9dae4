import { afterEach, describe, expect, it } from "vitest";
import { allocateGrowerBuffers, setKernelBackend } from "./grower-buffers.js";
import type { GrowerConfig } from "./grower-config.js";
import { HistogramBuilder, histogramWidth } from "./histogram-builder.js";
import { Splitter, emptySplit, nodeValue } from "./splitter.js";
import { growerConfig } from "./test-helpers/grower-config.js";

/** A splitter and one pooled histogram (in the kernels' memory on the WebAssembly path). */
function setup(config: GrowerConfig, backend: "wasm" | "js") {
  setKernelBackend(backend);
  const buffers = allocateGrowerBuffers(config, config.p * config.nBins * histogramWidth(config), 2);
  const hb = new HistogramBuilder(config, buffers);
  const hist = hb.histogram(hb.alloc()).fill(0);
  return { splitter: new Splitter(config, buffers), hist, buffers, W: hb.W, stride: config.nBins * hb.W };
}

/** Write the gradients of feature f's bins 0, 1, ..., two rows (count 2) in each. */
function putAll(hist: Float64Array, stride: number, f: number, gradients: number[]): void {
  for (let b = 0; b < gradients.length; b++) put(hist, stride, f, b, gradients[b]!, 2);
}

/** Write (g, count) of bin b of feature f (constant hessian: count is the hessian). */
function put(hist: Float64Array, stride: number, f: number, b: number, g: number, count: number): void {
  hist[f * stride + b * 2] = g;
  hist[f * stride + b * 2 + 1] = count;
}

// One numeric feature, bins 0..3 with two rows each; the gradients favour cutting after bin 1.
const fourBins = [[0, 0, 1, 1, 2, 2, 3, 3]];
const G = 2;
const C = 8;

describe("Splitter", () => {
  afterEach(() => setKernelBackend("wasm"));

  for (const backend of ["wasm", "js"] as const) {
    it(`${backend}: finds the known best split of a hand-made histogram`, () => {
      const { splitter, hist, stride } = setup(growerConfig(fourBins), backend);
      putAll(hist, stride, 0, [-4, -2, 3, 5]);
      const best = emptySplit();
      // node value 0 (a root): gain = G_L^2 / H_L + G_R^2 / H_R; cut after bin 1: 36/4 + 64/4 = 25
      splitter.findBestSplit(hist, G, C, C, 0, Int32Array.of(0), best);
      expect(best.feature).toBe(0);
      expect(best.bin).toBe(1);
      expect(best.gain).toBeCloseTo(25, 12);
      expect([best.gl, best.hl, best.cl, best.missingLeft]).toEqual([-6, 4, 4, 0]);
      // a non-zero node value shifts every gain by G v (here v = -G / C)
      splitter.findBestSplit(hist, G, C, C, nodeValue(G, C, 0), Int32Array.of(0), best);
      expect(best.gain).toBeCloseTo(25 - G ** 2 / C, 12);
    });

    it(`${backend}: respects minSamplesLeaf and reports no split when none is allowed`, () => {
      const { splitter, hist, stride } = setup(growerConfig(fourBins, { minSamplesLeaf: 3 }), backend);
      putAll(hist, stride, 0, [-4, -2, 3, 5]);
      const best = emptySplit();
      splitter.findBestSplit(hist, G, C, C, 0, Int32Array.of(0), best);
      expect(best.cl).toBe(4); // 2 | 6 is not allowed, 4 | 4 is
      const none = setup(growerConfig(fourBins, { minSamplesLeaf: 5 }), backend);
      putAll(none.hist, none.stride, 0, [-4, -2, 3, 5]);
      none.splitter.findBestSplit(none.hist, G, C, C, 0, Int32Array.of(0), best);
      expect([best.feature, best.gain]).toEqual([-1, -1]);
    });

    it(`${backend}: sends missing values to the side they resemble`, () => {
      // bins 0, 1 and missing (8); the missing rows have negative gradients like bin 0
      const config = growerConfig([[0, 0, 1, 1, 8, 8]]);
      const { splitter, hist, stride } = setup(config, backend);
      put(hist, stride, 0, 0, -3, 2);
      put(hist, stride, 0, 1, 4, 2);
      put(hist, stride, 0, 8, -3, 2);
      const best = emptySplit();
      splitter.findBestSplit(hist, -2, 6, 6, 0, Int32Array.of(0), best);
      expect([best.bin, best.missingLeft, best.gl, best.cl]).toEqual([0, 1, -6, 4]);
    });

    it(`${backend}: a tie keeps the first feature`, () => {
      const { splitter, hist, stride } = setup(growerConfig([fourBins[0]!, fourBins[0]!]), backend);
      for (const f of [0, 1]) putAll(hist, stride, f, [-4, -2, 3, 5]);
      const best = emptySplit();
      splitter.findBestSplit(hist, G, C, C, 0, Int32Array.of(0, 1), best);
      expect(best.feature).toBe(0);
      splitter.findBestSplit(hist, G, C, C, 0, Int32Array.of(1), best);
      expect(best.feature).toBe(1);
    });
  }

  it("splits a categorical feature by sorted G/(H + 10), grouping like categories", () => {
    const bins = [Array.from({ length: 60 }, (_, i) => i % 3)];
    const { splitter, hist, stride } = setup(growerConfig(bins, { categorical: [0] }), "js");
    put(hist, stride, 0, 0, -20, 20);
    put(hist, stride, 0, 1, 20, 20);
    put(hist, stride, 0, 2, -18, 20);
    const best = emptySplit();
    splitter.findBestSplit(hist, -18, 60, 60, 0, Int32Array.of(0), best);
    expect(best.isCategorical).toBe(true);
    const bit = (b: number): number => (best.catBits[0]! >>> b) & 1;
    expect(bit(0)).toBe(bit(2));
    expect(bit(1)).not.toBe(bit(0));
  });

  for (const backend of ["wasm", "js"] as const)
    it(`${backend}: splitIndices partitions rows stably, numeric (missing left) and categorical`, () => {
      const config = growerConfig(
        [
          [2, 0, 8, 1, 3, 0, 8],
          [1, 0, 2, 1, 2, 0, 1],
        ],
        { categorical: [1] },
      );
      const { splitter, buffers } = setup(config, backend);
      buffers.partition.set([0, 1, 2, 3, 4, 5, 6]);
      const split = emptySplit();
      split.feature = 0;
      split.bin = 1;
      split.missingLeft = 1;
      expect(splitter.splitIndices(0, 7, split)).toBe(5);
      expect(Array.from(buffers.partition)).toEqual([1, 2, 3, 5, 6, 0, 4]);
      buffers.partition.set([0, 1, 2, 3, 4, 5, 6]);
      const cat = emptySplit();
      cat.feature = 1;
      cat.catBits[0] = 1 << 2; // category bin 2 goes left
      expect(splitter.splitIndices(1, 6, cat)).toBe(3);
      expect(Array.from(buffers.partition)).toEqual([0, 2, 4, 1, 3, 5, 6]);
    });
});
