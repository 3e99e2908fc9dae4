import { afterEach, describe, expect, it } from "vitest";
import { allocateGrowerBuffers, setKernelBackend } from "./grower-buffers.js";
import type { GrowerConfig } from "./grower-config.js";
import { HistogramBuilder, histogramWidth } from "./histogram-builder.js";
import { growerConfig, randomBins } from "./test-helpers/grower-config.js";

const n = 200;
const p = 11; // blocks of 8, 1, 1, 1 when all features are used

function setup(config: GrowerConfig, backend: "wasm" | "js") {
  setKernelBackend(backend);
  const buffers = allocateGrowerBuffers(config, config.p * config.nBins * histogramWidth(config), 4);
  const hb = new HistogramBuilder(config, buffers);
  // Integer gradients and hessians: every sum is exact, so subtraction must equal a fresh build.
  for (let i = 0; i < n; i++) {
    buffers.gradients[i] = (i % 7) - 3;
    if (!config.constantHessian) buffers.hessians[i] = 1 + (i % 3);
  }
  for (let i = 0; i < n; i++) buffers.partition[i] = i;
  return { hb, buffers };
}

const all = Int32Array.from({ length: p }, (_, f) => f);

describe("HistogramBuilder", () => {
  afterEach(() => setKernelBackend("wasm"));

  for (const backend of ["wasm", "js"] as const)
    for (const constantHessian of [true, false])
      it(`${backend}, ${constantHessian ? "constant" : "varying"} hessian: parent - smaller child equals a fresh build of the larger`, () => {
        const config = growerConfig(randomBins(n, p, 8, 5), { constantHessian });
        const { hb, buffers } = setup(config, backend);
        const { gradients: g, hessians: h, partition } = buffers;
        const parent = hb.histogram(hb.alloc());
        hb.buildRoot(parent, g, h, n, all);
        // rows with an even bin in feature 0 first (a stable partition, as the splitter does)
        const order = Array.from(partition).sort((a, b) => (config.binned[a]! % 2) - (config.binned[b]! % 2));
        partition.set(order);
        const mid = order.filter((i) => config.binned[i]! % 2 === 0).length;
        const small = hb.histogram(hb.alloc());
        hb.buildNode(small, mid, n - mid, g, h, all);
        const fresh = hb.histogram(hb.alloc());
        hb.buildNode(fresh, 0, mid, g, h, all);
        hb.subtract(parent, small, all);
        expect(Array.from(parent)).toEqual(Array.from(fresh));
      });

  it("a root build equals a node build over all rows, and both backends agree", () => {
    const config = growerConfig(randomBins(n, p, 8, 9), { constantHessian: false });
    const hists: number[][] = [];
    for (const backend of ["wasm", "js"] as const) {
      const { hb, buffers } = setup(config, backend);
      for (let i = 0; i < n; i++) buffers.gradients[i] = Math.sin(i);
      const root = hb.histogram(hb.alloc());
      hb.buildRoot(root, buffers.gradients, buffers.hessians, n, all);
      const node = hb.histogram(hb.alloc());
      hb.buildNode(node, 0, n, buffers.gradients, buffers.hessians, all);
      expect(Array.from(root)).toEqual(Array.from(node));
      hists.push(Array.from(root));
    }
    expect(hists[0]).toEqual(hists[1]);
  });

  it("reuses cached root counts (unweighted, constant hessian) and writes only the features asked for", () => {
    const config = growerConfig(randomBins(n, p, 8, 3));
    const { hb, buffers } = setup(config, "js");
    const first = hb.histogram(hb.alloc());
    hb.buildRoot(first, buffers.gradients, buffers.hessians, n, all);
    const again = hb.histogram(hb.alloc());
    hb.buildRoot(again, buffers.gradients, buffers.hessians, n, all);
    expect(Array.from(again)).toEqual(Array.from(first));
    // count channel of feature 0 sums to n
    let count = 0;
    for (let b = 0; b < config.nBins; b++) count += first[b * hb.W + 1]!;
    expect(count).toBe(n);
    const some = hb.histogram(hb.alloc());
    some.fill(7);
    hb.buildRoot(some, buffers.gradients, buffers.hessians, n, Int32Array.of(2));
    expect(some[0]).toBe(7); // feature 0 untouched
    expect(some.subarray(2 * config.nBins * hb.W, 3 * config.nBins * hb.W)).toEqual(
      first.subarray(2 * config.nBins * hb.W, 3 * config.nBins * hb.W),
    );
  });
});
