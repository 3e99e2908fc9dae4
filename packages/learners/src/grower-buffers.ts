import type { GrowerConfig } from "./grower-config.js";
import { type KernelInstance, instantiateKernels } from "./wasm/kernels.js";

let kernelBackend: "wasm" | "js" = "wasm";

/**
 * Choose the hot loops' implementation for growers created afterwards (internal, for tests and
 * benchmarks): "wasm" (default; falls back to "js" where WebAssembly is unavailable) or "js".
 * Both give identical trees.
 *
 * @example
 * setKernelBackend("js"); // the next fits run the JavaScript kernels
 */
export function setKernelBackend(backend: "wasm" | "js"): void {
  kernelBackend = backend;
}

/** Byte offsets of the grower's buffers inside the kernels' memory. */
export interface ArenaLayout {
  lut: number;
  /** The split scans' result: [gain, bin, GL, HL, CL, missingLeft] as f64. */
  split: number;
  part: number;
  scratch: number;
  og: number;
  oh: number;
  ow: number;
  ones: number;
  g: number;
  h: number;
  w: number;
  pool: number;
  slots: number;
  binned: number;
  bytes: number;
}

/**
 * Every buffer one fit's tree grower works in, allocated once and reused for every tree: inside
 * one WebAssembly memory with the kernels bound to it (`k`, `at` give the byte offsets), or as
 * plain typed arrays on the JavaScript path (`k` and `at` null). Growing a tree then allocates
 * almost nothing.
 */
export interface GrowerBuffers {
  /** WebAssembly kernels and where each buffer lives in their memory; null on the JS path. */
  readonly k: KernelInstance | null;
  readonly at: ArenaLayout | null;
  /** Bin -> goes left (1) for the split being applied. */
  readonly lut: Uint8Array;
  /** The WebAssembly split scans' result record. */
  readonly splitOut: Float64Array;
  /** Sample indices; every node owns a contiguous range. */
  readonly partition: Int32Array;
  readonly scratch: Int32Array;
  /** Ordered gradients, hessians and weights: a node's rows gathered in partition order. */
  readonly og: Float32Array;
  readonly oh: Float32Array;
  readonly ow: Float64Array;
  /** Unit weights for unweighted fits (the count channel adds them). */
  readonly ones: Float64Array;
  /** Gradient and hessian buffers; callers may compute into them to skip a copy per tree. */
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;
  /** Sample weights as the kernels see them (null when unweighted). */
  readonly weights: Float64Array | null;
  /** Bins the kernels read (a copy inside their memory on the WebAssembly path). */
  readonly binned: Uint8Array;
  /** Histograms preallocated in the kernels' memory (empty on the JS path, which allocates on demand). */
  readonly pool: Float64Array[];
}

function arenaLayout(
  n: number,
  p: number,
  histBytes: number,
  slots: number,
  constH: boolean,
  weighted: boolean,
): ArenaLayout {
  let at = 0;
  const take = (bytes: number): number => {
    const o = at;
    at += Math.ceil(bytes / 8) * 8;
    return o;
  };
  const lut = take(256);
  const split = take(48);
  const part = take(4 * n);
  const scratch = take(4 * n);
  const og = take(4 * n);
  const oh = take(constH ? 0 : 4 * n);
  const ow = take(weighted ? 8 * n : 0);
  const ones = take(weighted ? 0 : 8 * n);
  const g = take(4 * n);
  const h = take(constH ? 0 : 4 * n);
  const w = take(weighted ? 8 * n : 0);
  const pool = take(slots * histBytes);
  const binned = take(n * p);
  return { lut, split, part, scratch, og, oh, ow, ones, g, h, w, pool, slots, binned, bytes: at };
}

/**
 * Allocate a grower's buffers for `config`, with room for `slots` live histograms of `histSize`
 * doubles each, on the backend chosen by {@link setKernelBackend} (JS when WebAssembly fails).
 *
 * @example
 * const buffers = allocateGrowerBuffers(config, histSize, maxLeaves + 2);
 * buffers.partition.set(rows);
 */
export function allocateGrowerBuffers(config: GrowerConfig, histSize: number, slots: number): GrowerBuffers {
  const n = config.n;
  const constH = config.constantHessian;
  const weighted = config.weights !== null;
  const layout = arenaLayout(n, config.p, histSize * 8, slots, constH, weighted);
  const k = kernelBackend === "wasm" ? instantiateKernels(layout.bytes) : null;
  if (k === null) {
    return {
      k: null,
      at: null,
      lut: new Uint8Array(256),
      splitOut: new Float64Array(6),
      partition: new Int32Array(n),
      scratch: new Int32Array(n),
      og: new Float32Array(n),
      oh: constH ? new Float32Array(0) : new Float32Array(n),
      ow: weighted ? new Float64Array(n) : new Float64Array(0),
      ones: weighted ? new Float64Array(0) : new Float64Array(n).fill(1),
      gradients: new Float32Array(n),
      hessians: constH ? new Float32Array(0) : new Float32Array(n),
      weights: config.weights,
      binned: config.binned,
      pool: [],
    };
  }
  const buf = k.memory.buffer;
  const weights = weighted ? new Float64Array(buf, layout.w, n) : null;
  if (config.weights) weights!.set(config.weights);
  const binned = new Uint8Array(buf, layout.binned, n * config.p);
  binned.set(config.binned.subarray(0, n * config.p));
  const pool: Float64Array[] = [];
  for (let s = 0; s < slots; s++) pool.push(new Float64Array(buf, layout.pool + s * histSize * 8, histSize));
  return {
    k,
    at: layout,
    lut: new Uint8Array(buf, layout.lut, 256),
    splitOut: new Float64Array(buf, layout.split, 6),
    partition: new Int32Array(buf, layout.part, n),
    scratch: new Int32Array(buf, layout.scratch, n),
    og: new Float32Array(buf, layout.og, n),
    oh: new Float32Array(buf, layout.oh, constH ? 0 : n),
    ow: new Float64Array(buf, layout.ow, weighted ? n : 0),
    ones: new Float64Array(buf, layout.ones, weighted ? 0 : n).fill(1),
    gradients: new Float32Array(buf, layout.g, n),
    hessians: new Float32Array(buf, layout.h, constH ? 0 : n),
    weights,
    binned,
    pool,
  };
}
