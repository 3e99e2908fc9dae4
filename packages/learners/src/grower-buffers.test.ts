import { afterEach, describe, expect, it } from "vitest";
import { allocateGrowerBuffers, setKernelBackend } from "./grower-buffers.js";
import { growerConfig, randomBins } from "./test-helpers/grower-config.js";

describe("allocateGrowerBuffers", () => {
  afterEach(() => setKernelBackend("wasm"));

  it("places every buffer in the kernels' memory without overlaps (WebAssembly)", () => {
    const config = growerConfig(randomBins(50, 3, 8, 1), {
      constantHessian: false,
      weights: new Float64Array(50).fill(2),
    });
    const b = allocateGrowerBuffers(config, 100, 3);
    expect(b.k).not.toBeNull();
    const views = [
      b.lut,
      b.splitOut,
      b.partition,
      b.scratch,
      b.og,
      b.oh,
      b.ow,
      b.gradients,
      b.hessians,
      b.weights!,
      b.binned,
      ...b.pool,
    ];
    for (const v of views) expect(v.buffer).toBe(b.k!.memory.buffer);
    const spans = views
      .map((v) => [v.byteOffset, v.byteOffset + v.byteLength] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    expect(Array.from(b.binned)).toEqual(Array.from(config.binned));
    expect(Array.from(b.weights!.subarray(0, 3))).toEqual([2, 2, 2]);
    expect(b.pool).toHaveLength(3);
  });

  it("uses plain arrays on the JavaScript backend, with unit weights when unweighted", () => {
    setKernelBackend("js");
    const config = growerConfig(randomBins(20, 2, 8, 2));
    const b = allocateGrowerBuffers(config, 10, 3);
    expect([b.k, b.at]).toEqual([null, null]);
    expect(b.binned).toBe(config.binned);
    expect(b.pool).toHaveLength(0); // histograms are allocated on demand
    expect(b.hessians).toHaveLength(0); // constant hessian: the count channel stands in
    expect(Array.from(b.ones.subarray(0, 2))).toEqual([1, 1]);
  });
});
