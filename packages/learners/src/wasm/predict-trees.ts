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
 * its JavaScript loop. The trees are packed into node records per call: tens of microseconds
 * against milliseconds of traversal. NaN-free input on trees whose right child is left + 1 takes
 * the dense path (16-byte records, fixed-length walks, eight rows in lockstep); anything else the
 * general one (24-byte records with the missing-value direction, four rows in lockstep).
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
  const dense = denseReady(trees, x, n * p);
  const nodes = trees.feature.length;
  // Memory: node records, then (dense) leaf values, tree roots, (dense) walk lengths, rows, output.
  // Dense rows are padded to a multiple of eight; the padding rows stay zeros (any non-NaN value
  // walks fine).
  const rows = dense ? Math.ceil(n / 8) * 8 : n;
  const valuesAt = dense ? 16 * nodes : 24 * nodes;
  const rootsAt = align8(valuesAt + (dense ? 8 * nodes : 0));
  const depthsAt = align8(rootsAt + 4 * t);
  const xAt = align8(depthsAt + (dense ? 4 * t : 0));
  const outAt = xAt + 8 * rows * p;
  const k = instantiateKernels(outAt + 8 * rows);
  if (k === null) return false;
  const buf = k.memory.buffer;
  new Int32Array(buf, rootsAt, t).set(trees.treeRoots.subarray(0, t));
  new Float64Array(buf, xAt, n * p).set(x.subarray(0, n * p));
  if (dense) {
    packDenseNodes(trees, buf, valuesAt, new Int32Array(buf, depthsAt, t));
    k.predictDense8(xAt, rows, p, 0, rootsAt, depthsAt, t, baseline, valuesAt, outAt);
  } else {
    packNodes(trees, buf);
    const n4 = n - (n % 4);
    k.predict4(xAt, n4, p, 0, rootsAt, t, baseline, outAt);
    if (n4 < n) k.predict(xAt + 8 * n4 * p, n - n4, p, 0, rootsAt, t, baseline, outAt + 8 * n4);
  }
  out.set(new Float64Array(buf, outAt, n));
  return true;
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** True when no input value is NaN and every internal node's right child is left + 1. */
function denseReady(trees: NumericTrees, x: Float64Array, len: number): boolean {
  for (let j = 0; j < len; j++) if (Number.isNaN(x[j])) return false;
  const { feature, left, right } = trees;
  for (let j = 0; j < feature.length; j++) if (feature[j]! >= 0 && right[j] !== left[j]! + 1) return false;
  return true;
}

/** 24-byte records at 0: [f64 threshold or leaf value, i32 feature, left, right, missingLeft]. */
function packNodes(trees: NumericTrees, buf: ArrayBuffer): void {
  const nodes = trees.feature.length;
  const f64 = new Float64Array(buf, 0, 3 * nodes);
  const i32 = new Int32Array(buf, 0, 6 * nodes);
  for (let j = 0; j < nodes; j++) {
    const f = trees.feature[j]!;
    f64[3 * j] = f < 0 ? trees.value[j]! : trees.threshold[j]!;
    i32[6 * j + 2] = f;
    // Leaves loop to themselves, so predict4 can step a finished row without moving it.
    i32[6 * j + 3] = f < 0 ? j : trees.left[j]!;
    i32[6 * j + 4] = f < 0 ? j : trees.right[j]!;
    i32[6 * j + 5] = trees.missingLeft[j]!;
  }
}

/**
 * The predict_dense8 layout: 16-byte records at 0 [f64 threshold, i32 feature, i32 left], leaves
 * as self-loops, leaf values at `valuesAt`, and each tree's walk length (its deepest leaf) in
 * `depths`.
 */
function packDenseNodes(trees: NumericTrees, buf: ArrayBuffer, valuesAt: number, depths: Int32Array): void {
  const nodes = trees.feature.length;
  const f64 = new Float64Array(buf, 0, 2 * nodes);
  const i32 = new Int32Array(buf, 0, 4 * nodes);
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
  // Nodes of tree q lie between its root and the next tree's root.
  for (let q = 0; q < depths.length; q++) {
    const start = trees.treeRoots[q]!;
    const end = q + 1 < trees.treeRoots.length ? trees.treeRoots[q + 1]! : nodes;
    let d = 0;
    for (let j = start; j < end; j++) d = Math.max(d, depth[j]!);
    depths[q] = d;
  }
}
