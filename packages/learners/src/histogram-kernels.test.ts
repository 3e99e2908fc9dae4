import { describe, expect, it } from "vitest";
import { type HistMode, type JsHistKernel, histKernelSource, jsHistKernel } from "./histogram-kernels.js";

/** The plain definition: one feature at a time, row by row (the kernel's arguments, width features). */
function reference(node: boolean, mode: HistMode, width: number, ...args: Parameters<JsHistKernel>): void {
  const [binned, o, n, part, start, m, g, h, w, hist, b, stride] = args;
  const W = mode === "ghc" ? 3 : 2;
  for (let q = 0; q < width; q++)
    for (let k = 0; k < m; k++) {
      const i = node ? part[start + k]! : k;
      const j = b + q * stride + binned[o + q * n + i]! * W;
      hist[j] = hist[j]! + g[k]!;
      if (mode !== "g") hist[j + 1] = hist[j + 1]! + w[k]!;
      if (mode === "ghc") hist[j + 2] = hist[j + 2]! + h[k]!;
    }
}

describe("generated JavaScript histogram kernels", () => {
  const n = 37;
  const nBins = 5;
  const binned = Uint8Array.from({ length: 8 * n }, (_, i) => (i * 7 + (i >> 3)) % nBins);
  const part = Int32Array.from({ length: n }, (_, i) => (i * 11) % n);
  const g = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
  const h = Float32Array.from({ length: n }, (_, i) => 0.5 + (i % 4));
  const w = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3) * 0.25);

  for (const node of [true, false])
    for (const mode of ["g", "gc", "ghc"] as const)
      for (const width of [1, 4, 8])
        it(`${node ? "node" : "root"}_${mode}${width} adds what the one-feature loop adds, bit for bit`, () => {
          const W = mode === "ghc" ? 3 : 2;
          const stride = nBins * W;
          const start = node ? 3 : 0;
          const m = node ? 29 : n;
          const got = new Float64Array(8 * stride).fill(0.5);
          const want = got.slice();
          jsHistKernel(node, mode, width)(binned, 0, n, part, start, m, g, h, w, got, 0, stride);
          reference(node, mode, width, binned, 0, n, part, start, m, g, h, w, want, 0, stride);
          expect(Array.from(got)).toEqual(Array.from(want));
        });

  it("unrolls the block into straight-line code and caches each compiled variant", () => {
    const src = histKernelSource(true, "ghc", 4);
    expect(src).toContain("const o3 = o + 3 * n;");
    expect(src).toContain("hist[j3 + 2] = hist[j3 + 2] + hk;");
    expect(src).not.toContain("j4");
    expect(jsHistKernel(true, "gc", 8)).toBe(jsHistKernel(true, "gc", 8));
  });
});
