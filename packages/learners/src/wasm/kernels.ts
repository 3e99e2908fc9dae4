import { KERNELS_WASM_BASE64 } from "./kernels-binary.js";

/** A histogram kernel: (col, n, part, m, g, h, w, hist, stride), all pointers in bytes. */
export type HistKernel = (
  col: number,
  n: number,
  part: number,
  m: number,
  g: number,
  h: number,
  w: number,
  hist: number,
  stride: number,
) => void;

/**
 * The slice of the WebAssembly JS API used here. The project compiles against ES2022 without DOM
 * types, and @types/node 20 does not declare the global, so it is typed locally.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  /** Add `pages` of 64 KiB (the old buffer detaches: take views again); throws when refused. */
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** (hist, count, bytesPerBin, hessianOffset, G, H, C, loss, minSamples, minHessian, l2, out) */
export type SplitScan = (
  hist: number,
  count: number,
  wb: number,
  hoff: number,
  G: number,
  H: number,
  C: number,
  loss: number,
  msl: number,
  mh: number,
  l2: number,
  out: number,
) => void;

/** The tree grower's WebAssembly kernels bound to one memory (internal; see kernels-wat.ts). */
export interface KernelInstance {
  memory: WasmMemory;
  /** hist[`${node ? "node" : "root"}_${mode}${width}`] */
  hist: Record<string, HistKernel>;
  gatherF32: (dst: number, src: number, part: number, m: number) => void;
  gatherF64: (dst: number, src: number, part: number, m: number) => void;
  /** Best split of one numeric feature's bins, left to right / right to left (see kernels-wat.ts). */
  scanLR: SplitScan;
  scanRL: SplitScan;
  /** The same scans specialized for constant hessians (the count channel is the hessian). */
  scanLRConst: SplitScan;
  scanRLConst: SplitScan;
  /** Sum of tree leaf values per row (see kernels-wat.ts `predict`). */
  predict: (
    x: number,
    n: number,
    p: number,
    nodes: number,
    roots: number,
    t: number,
    baseline: number,
    out: number,
  ) => void;
  /** `predict` for a multiple of four rows, four walks in lockstep (leaves packed as self-loops). */
  predict4: KernelInstance["predict"];
  /** Eight rows in lockstep for NaN-free rows and right = left + 1 trees (kernels-wat.ts `predict_dense8`). */
  predictDense8: (
    x: number,
    n: number,
    p: number,
    nodes: number,
    roots: number,
    depths: number,
    t: number,
    baseline: number,
    values: number,
    out: number,
  ) => void;
  /** parent -= small over `count` doubles (byte pointers). */
  subtract: (parent: number, small: number, count: number) => void;
  /** Stable partition of m indices at `part`; returns how many went left. */
  partition: (part: number, scratch: number, col: number, lut: number, m: number) => number;
}

let compiled: object | null | undefined;

function kernelModule(): object | null {
  if (compiled === undefined) {
    if (wasm === undefined) {
      compiled = null;
      return null;
    }
    try {
      const text = atob(KERNELS_WASM_BASE64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      compiled = new wasm.Module(bytes);
    } catch {
      compiled = null; // no WebAssembly here: the JavaScript kernels take over
    }
  }
  return compiled;
}

/** Largest memory the kernels address (wasm32: 4 GiB less one page of headroom). */
const MAX_BYTES = 2 ** 32 - 2 ** 16;

/**
 * Kernels over a fresh memory of at least `bytes` bytes, or null when WebAssembly is unavailable,
 * the size is beyond wasm32, or the engine refuses the allocation (callers fall back to JS).
 *
 * @example
 * const k = instantiateKernels(1 << 20);
 * if (k) new Uint8Array(k.memory.buffer); // views stay valid: the memory never grows
 */
export function instantiateKernels(bytes: number): KernelInstance | null {
  if (bytes > MAX_BYTES) return null;
  const mod = kernelModule();
  if (mod === null) return null;
  try {
    const memory = new wasm!.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const ex = new wasm!.Instance(mod, { env: { memory } }).exports;
    const hist: Record<string, HistKernel> = {};
    for (const [name, fn] of Object.entries(ex))
      if (name.startsWith("hist_")) hist[name.slice(5)] = fn as HistKernel;
    return {
      memory,
      hist,
      gatherF32: ex.gather_f32 as KernelInstance["gatherF32"],
      gatherF64: ex.gather_f64 as KernelInstance["gatherF64"],
      partition: ex.partition as KernelInstance["partition"],
      subtract: ex.subtract as KernelInstance["subtract"],
      predict: ex.predict as KernelInstance["predict"],
      predict4: ex.predict4 as KernelInstance["predict"],
      predictDense8: ex.predict_dense8 as KernelInstance["predictDense8"],
      scanLR: ex.scan_lr as SplitScan,
      scanRL: ex.scan_rl as SplitScan,
      scanLRConst: ex.scan_lr_c as SplitScan,
      scanRLConst: ex.scan_rl_c as SplitScan,
    };
  } catch {
    return null;
  }
}
