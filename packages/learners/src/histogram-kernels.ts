/**
 * The JavaScript histogram kernels, generated (internal): the twins of the WebAssembly
 * `hist_{node|root}_{mode}{width}` kernels of wasm/kernels-wat.ts, used where WebAssembly is
 * unavailable and by the tests that prove both backends grow identical trees.
 *
 * Why generated: a kernel adds `width` consecutive features per pass over the rows (8, 4 or 1).
 * The histograms' read-modify-write chains are then independent and the column reads are
 * independent cache misses, which roughly halves the time per update against one feature per
 * pass (measured: 2.9 ns against 5.8 ns with a loop over the features inside the row loop), but
 * only when the features are unrolled into straight-line code. Writing the 15 variants by hand
 * repeated the same lines ~600 times; one template compiled once per variant keeps a single
 * implementation at the same speed. Each histogram still sums its rows in partition order, so
 * every width gives the same bits (and the same rounding as sklearn).
 *
 * Bins hold (g, w) doubles for modes "g" and "gc", (g, w, h) for "ghc"; "g" adds only the gradient
 * channel (unweighted roots, whose counts are cached). Row i is part[start + k] ("node") or k
 * ("root"); its bin in feature q of the block is binned[o + q n + i]; gradients, hessians and
 * weights are read at k (ordered buffers for nodes, the full arrays at the root); feature q's
 * histogram starts at hist[b + q s].
 */

/** Histogram channels a kernel adds: gradient only, gradient + count, gradient + count + hessian. */
export type HistMode = "g" | "gc" | "ghc";

/** (binned, o, n, part, start, m, g, h, w, hist, b, s); see the module comment. */
export type JsHistKernel = (
  binned: Uint8Array,
  o: number,
  n: number,
  part: Int32Array,
  start: number,
  m: number,
  g: Float32Array,
  h: Float32Array,
  w: Float64Array,
  hist: Float64Array,
  b: number,
  s: number,
) => void;

const PARAMS = ["binned", "o", "n", "part", "start", "m", "g", "h", "w", "hist", "b", "s"];

/**
 * Source of one kernel's body: per row, load its gradient (and weight, hessian), then for each of
 * the `width` features find the bin and add the channels, exactly as the WebAssembly twin does.
 *
 * @example
 * histKernelSource(true, "gc", 4); // "\"use strict\";\nconst o1 = o + 1 * n; ..."
 */
export function histKernelSource(node: boolean, mode: HistMode, width: number): string {
  const binDoubles = mode === "ghc" ? 3 : 2;
  const out = ['"use strict";'];
  for (let q = 1; q < width; q++) out.push(`const o${q} = o + ${q} * n;`, `const b${q} = b + ${q} * s;`);
  out.push("for (let k = 0; k < m; k++) {");
  out.push(node ? "  const i = part[start + k];" : "  const i = k;", "  const gk = g[k];");
  if (mode === "ghc") out.push("  const hk = h[k];");
  if (mode !== "g") out.push("  const wk = w[k];");
  const col = (q: number): string => (q === 0 ? "o" : `o${q}`);
  const base = (q: number): string => (q === 0 ? "b" : `b${q}`);
  for (let q = 0; q < width; q++)
    out.push(`  const j${q} = ${base(q)} + binned[${col(q)} + i] * ${binDoubles};`);
  for (let q = 0; q < width; q++) {
    out.push(`  hist[j${q}] = hist[j${q}] + gk;`);
    if (mode !== "g") out.push(`  hist[j${q} + 1] = hist[j${q} + 1] + wk;`);
    if (mode === "ghc") out.push(`  hist[j${q} + 2] = hist[j${q} + 2] + hk;`);
  }
  out.push("}");
  return out.join("\n");
}

const compiled = new Map<string, JsHistKernel>();

/**
 * The compiled kernel for one variant (compiled on first use, then cached). V8 optimizes the
 * generated function exactly like a hand-written one: it is an ordinary function of typed arrays.
 *
 * @example
 * jsHistKernel(true, "ghc", 8)(binned, o, n, part, start, m, og, oh, ow, hist, b, stride);
 */
export function jsHistKernel(node: boolean, mode: HistMode, width: number): JsHistKernel {
  const key = `${node ? "node" : "root"}_${mode}${width}`;
  let kernel = compiled.get(key);
  if (kernel === undefined) {
    kernel = new Function(...PARAMS, histKernelSource(node, mode, width)) as JsHistKernel;
    compiled.set(key, kernel);
  }
  return kernel;
}
