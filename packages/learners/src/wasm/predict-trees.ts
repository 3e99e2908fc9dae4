import { type KernelInstance, instantiateKernels } from "./kernels.js";

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
 * Rows per kernel call. Rows are independent, so a large batch goes through the model's memory in
 * chunks (the same values as one call) and that memory stays bounded: at most CHUNK_ROWS x (p + 1)
 * doubles beyond the trees, whatever the batch size. A multiple of eight (the dense lanes).
 */
const CHUNK_ROWS = 4096;

/**
 * One model's predictor: a kernel instance whose memory holds the model's node records for good,
 * followed by a row region that is reused (and grown) per call. Layout in bytes: general 24-byte
 * records at 0, dense 16-byte records at `denseAt`, dense leaf values at `valuesAt`, tree roots at
 * `rootsAt`, dense walk lengths at `depthsAt`, rows and outputs from `rowsAt`. Each layout is
 * packed the first time a call needs it.
 */
interface TreePredictor {
  k: KernelInstance;
  /** Every internal node's right child is left + 1 (the dense kernel's requirement). */
  denseTrees: boolean;
  denseAt: number;
  valuesAt: number;
  rootsAt: number;
  depthsAt: number;
  rowsAt: number;
  generalPacked: boolean;
  densePacked: boolean;
}

/**
 * Per model (keyed by its tree arrays, so the memory goes when the model does). Why cache: a fresh
 * memory, instance and repack per call cost ~190 us per 100-tree model for a single row, many times
 * the walk itself, and online serving predicts a few rows at a time.
 */
const predictors = new WeakMap<NumericTrees, TreePredictor | null>();

/**
 * Raw predictions of the first `t` trees for row-major `x` (n x p) into `out`, on the WebAssembly
 * kernel; returns false (and writes nothing) when WebAssembly is unavailable, so the caller runs
 * its JavaScript loop. The trees are packed into node records once per model and kept, with a
 * kernel instance, for the model's lifetime (the arrays must not change after the first predict,
 * as a fitted model's never do); a call copies its rows in and the sums out. The call is
 * synchronous from start to end, so calls on one model cannot interleave and the shared memory is
 * safe. At least eight NaN-free rows on trees whose right child is left + 1 take the dense path
 * (16-byte records, fixed-length walks, eight rows in lockstep); anything else the general one
 * (24-byte records with the missing-value direction, four rows in lockstep, then one by one).
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
  const P = predictorOf(trees);
  if (P === null) return false;
  // Fewer than eight rows: the dense kernel would walk mostly padding (a single row measured 6.8
  // us per 100-tree model there against 2.5 us on the general kernel).
  const dense = n >= 8 && P.denseTrees && !hasNaN(x, n * p);
  const chunk = Math.min(n, CHUNK_ROWS);
  // Dense rows are padded to a multiple of eight.
  const cap = dense ? Math.ceil(chunk / 8) * 8 : chunk;
  if (!ensureBytes(P.k, P.rowsAt + 8 * cap * (p + 1))) return false;
  if (dense && !P.densePacked) {
    packDenseNodes(trees, P.k.memory.buffer, P.denseAt, P.valuesAt, P.depthsAt);
    P.densePacked = true;
  } else if (!dense && !P.generalPacked) {
    packNodes(trees, P.k.memory.buffer);
    P.generalPacked = true;
  }
  const buf = P.k.memory.buffer;
  const xAt = P.rowsAt;
  const outAt = xAt + 8 * cap * p;
  const xs = new Float64Array(buf, xAt, cap * p);
  const outs = new Float64Array(buf, outAt, cap);
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    xs.set(x.subarray(start * p, (start + m) * p));
    if (dense) {
      const rows = Math.ceil(m / 8) * 8;
      // The padding rows walk too (their sums are dropped); zeros keep them off stale NaNs.
      xs.fill(0, m * p, rows * p);
      P.k.predictDense8(xAt, rows, p, P.denseAt, P.rootsAt, P.depthsAt, t, baseline, P.valuesAt, outAt);
    } else {
      const m4 = m - (m % 4);
      P.k.predict4(xAt, m4, p, 0, P.rootsAt, t, baseline, outAt);
      if (m4 < m) P.k.predict(xAt + 8 * m4 * p, m - m4, p, 0, P.rootsAt, t, baseline, outAt + 8 * m4);
    }
    out.set(outs.subarray(0, m), start);
  }
  return true;
}

/** The model's cached predictor, built on first use (null: no WebAssembly here, or too large). */
function predictorOf(trees: NumericTrees): TreePredictor | null {
  const cached = predictors.get(trees);
  if (cached !== undefined) return cached;
  const nodes = trees.feature.length;
  const T = trees.treeRoots.length;
  const denseAt = 24 * nodes;
  const valuesAt = denseAt + 16 * nodes;
  const rootsAt = valuesAt + 8 * nodes;
  const depthsAt = align8(rootsAt + 4 * T);
  const rowsAt = align8(depthsAt + 4 * T);
  // Room for the trees and a small batch; larger batches grow the memory on demand.
  const k = instantiateKernels(rowsAt + 8 * 64 * 16);
  let P: TreePredictor | null = null;
  if (k !== null) {
    new Int32Array(k.memory.buffer, rootsAt, T).set(trees.treeRoots);
    P = {
      k,
      denseTrees: rightIsLeftPlusOne(trees),
      denseAt,
      valuesAt,
      rootsAt,
      depthsAt,
      rowsAt,
      generalPacked: false,
      densePacked: false,
    };
  }
  predictors.set(trees, P);
  return P;
}

/** Grow the kernel memory to at least `bytes` (false when the engine refuses or wasm32 cannot). */
function ensureBytes(k: KernelInstance, bytes: number): boolean {
  const have = k.memory.buffer.byteLength;
  if (bytes <= have) return true;
  if (bytes > 2 ** 32 - 2 ** 16) return false;
  try {
    k.memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

function hasNaN(x: Float64Array, len: number): boolean {
  for (let j = 0; j < len; j++) if (Number.isNaN(x[j])) return true;
  return false;
}

/** True when every internal node's right child is left + 1. */
function rightIsLeftPlusOne(trees: NumericTrees): boolean {
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
 * The predict_dense8 layout: 16-byte records at `at` [f64 threshold, i32 feature, i32 left],
 * leaves as self-loops, leaf values at `valuesAt`, and each tree's walk length (its deepest leaf)
 * at `depthsAt`.
 */
function packDenseNodes(
  trees: NumericTrees,
  buf: ArrayBuffer,
  at: number,
  valuesAt: number,
  depthsAt: number,
): void {
  const nodes = trees.feature.length;
  const f64 = new Float64Array(buf, at, 2 * nodes);
  const i32 = new Int32Array(buf, at, 4 * nodes);
  const values = new Float64Array(buf, valuesAt, nodes);
  const depths = new Int32Array(buf, depthsAt, trees.treeRoots.length);
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
