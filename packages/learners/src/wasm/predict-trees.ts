import { instantiateKernels } from "./kernels.js";

/** The tree arrays the WebAssembly predictor reads (numeric splits only). */
export interface NumericTrees {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  treeRoots: Int32Array;
}

let enabled = true;

/** Turn the WebAssembly predictor off or on (internal, for tests comparing the two paths). */
export function setWasmPredict(on: boolean): void {
  enabled = on;
}

/**
 * Raw predictions of the first `t` trees for row-major `x` (n x p) into `out`, on the WebAssembly
 * kernel; returns false (and writes nothing) when WebAssembly is unavailable, so the caller runs
 * its JavaScript loop. The trees are packed into 24-byte node records per call: tens of
 * microseconds against milliseconds of traversal.
 *
 * @example
 * if (!predictTreesWasm(parts, x.data, n, p, t, baseline, out)) predictRows(...);
 */
export function predictTreesWasm(
  trees: NumericTrees,
  x: Float64Array,
  n: number,
  p: number,
  t: number,
  baseline: number,
  out: Float64Array,
): boolean {
  if (!enabled || n === 0) return false;
  const nodes = trees.feature.length;
  const align = (b: number): number => Math.ceil(b / 8) * 8;
  const nodesAt = 0;
  const rootsAt = align(24 * nodes);
  const xAt = align(rootsAt + 4 * t);
  const outAt = xAt + 8 * n * p;
  const k = instantiateKernels(outAt + 8 * n);
  if (k === null) return false;
  const buf = k.memory.buffer;
  const f64 = new Float64Array(buf, nodesAt, 3 * nodes);
  const i32 = new Int32Array(buf, nodesAt, 6 * nodes);
  for (let j = 0; j < nodes; j++) {
    const f = trees.feature[j]!;
    f64[3 * j] = f < 0 ? trees.value[j]! : trees.threshold[j]!;
    i32[6 * j + 2] = f;
    // Leaves loop to themselves, so predict4 can step a finished row without moving it.
    i32[6 * j + 3] = f < 0 ? j : trees.left[j]!;
    i32[6 * j + 4] = f < 0 ? j : trees.right[j]!;
    i32[6 * j + 5] = trees.missingLeft[j]!;
  }
  new Int32Array(buf, rootsAt, t).set(trees.treeRoots.subarray(0, t));
  new Float64Array(buf, xAt, n * p).set(x.subarray(0, n * p));
  const n4 = n - (n % 4);
  k.predict4(xAt, n4, p, nodesAt, rootsAt, t, baseline, outAt);
  if (n4 < n) k.predict(xAt + 8 * n4 * p, n - n4, p, nodesAt, rootsAt, t, baseline, outAt + 8 * n4);
  out.set(new Float64Array(buf, outAt, n));
  return true;
}
