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
  if (denseReady(trees, x, n * p)) return predictDense(trees, x, n, p, t, baseline, out);
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

/** True when no input value is NaN and every internal node's right child is left + 1. */
function denseReady(trees: NumericTrees, x: Float64Array, len: number): boolean {
  for (let j = 0; j < len; j++) if (Number.isNaN(x[j])) return false;
  const { feature, left, right } = trees;
  for (let j = 0; j < feature.length; j++) if (feature[j]! >= 0 && right[j] !== left[j]! + 1) return false;
  return true;
}

/** The predict_dense8 path: 16-byte node records, leaves as self-loops, a fixed walk per tree. */
function predictDense(
  trees: NumericTrees,
  x: Float64Array,
  n: number,
  p: number,
  t: number,
  baseline: number,
  out: Float64Array,
): boolean {
  const nodes = trees.feature.length;
  const align = (b: number): number => Math.ceil(b / 8) * 8;
  const nodesAt = 0;
  const valuesAt = 16 * nodes;
  const rootsAt = valuesAt + 8 * nodes;
  const depthsAt = align(rootsAt + 4 * t);
  // Rows padded to a multiple of eight; the padding rows stay zeros (any non-NaN value walks fine).
  const n8 = Math.ceil(n / 8) * 8;
  const xAt = align(depthsAt + 4 * t);
  const outAt = xAt + 8 * n8 * p;
  const k = instantiateKernels(outAt + 8 * n8);
  if (k === null) return false;
  const buf = k.memory.buffer;
  const f64 = new Float64Array(buf, nodesAt, 2 * nodes);
  const i32 = new Int32Array(buf, nodesAt, 4 * nodes);
  const values = new Float64Array(buf, valuesAt, nodes);
  const depth = new Int32Array(nodes);
  for (let j = 0; j < nodes; j++) {
    const f = trees.feature[j]!;
    if (f < 0) {
      // A leaf: never goes right (x > +Infinity is false for every non-NaN x), left is itself.
      f64[2 * j] = Number.POSITIVE_INFINITY;
      i32[4 * j + 2] = 0;
      i32[4 * j + 3] = j;
      values[j] = trees.value[j]!;
    } else {
      f64[2 * j] = trees.threshold[j]!;
      i32[4 * j + 2] = f;
      i32[4 * j + 3] = trees.left[j]!;
      // children come after their parent, so one forward pass gives every node's depth
      depth[trees.left[j]!] = depth[j]! + 1;
      depth[trees.left[j]! + 1] = depth[j]! + 1;
    }
  }
  // Each tree's walk length: its deepest leaf (nodes of tree k lie between its root and the next).
  const depths = new Int32Array(buf, depthsAt, t);
  for (let q = 0; q < t; q++) {
    const start = trees.treeRoots[q]!;
    const end = q + 1 < trees.treeRoots.length ? trees.treeRoots[q + 1]! : nodes;
    let d = 0;
    for (let j = start; j < end; j++) d = Math.max(d, depth[j]!);
    depths[q] = d;
  }
  new Int32Array(buf, rootsAt, t).set(trees.treeRoots.subarray(0, t));
  new Float64Array(buf, xAt, n * p).set(x.subarray(0, n * p));
  k.predictDense8(xAt, n8, p, nodesAt, rootsAt, depthsAt, t, baseline, valuesAt, outAt);
  out.set(new Float64Array(buf, outAt, n));
  return true;
}
