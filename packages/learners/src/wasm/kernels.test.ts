import { createRng, denseMatrix } from "@cia/core";
import { afterEach, describe, expect, it } from "vitest";
import { HistGradientBoosting, type HistGradientBoostingOptions } from "../hist-gradient-boosting.js";
import { setKernelBackend } from "../grower-buffers.js";
import { assembleKernels } from "../../scripts/assemble-kernels.js";
import { KERNELS_WASM_BASE64 } from "./kernels-binary.js";
import { setWasmPredict } from "./predict-trees.js";
import { instantiateKernels } from "./kernels.js";

/** p features (enough for 8-, 4- and 1-wide blocks), some missing, a count-like target. */
function data(n: number, p: number, seed: number) {
  const rng = createRng(seed);
  const x = denseMatrix(n, p);
  const y = new Float64Array(n);
  const yBin = new Float64Array(n);
  const yCount = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) x.set(i, j, j === p - 1 ? Math.floor(rng.next() * 6) : rng.normal());
    const f = Math.sin(2 * x.get(i, 0)) + x.get(i, 1) * x.get(i, 2) + 0.3 * x.get(i, p - 1);
    y[i] = f + rng.normal(0, 0.3);
    yBin[i] = rng.next() < 1 / (1 + Math.exp(-f)) ? 1 : 0;
    yCount[i] = rng.poisson(Math.exp(0.3 * f));
    w[i] = 0.5 + rng.next() * 2;
    if (rng.next() < 0.05) x.set(i, 3, Number.NaN);
  }
  return { x, y, yBin, yCount, w };
}

function fitJson(backend: "wasm" | "js", train: () => unknown): string {
  setKernelBackend(backend);
  try {
    return JSON.stringify(train());
  } finally {
    setKernelBackend("wasm");
  }
}

describe("WebAssembly kernels", () => {
  afterEach(() => {
    setKernelBackend("wasm");
    setWasmPredict(true);
  });

  it("load in Node and address their whole memory", () => {
    const k = instantiateKernels(3 * 65536 + 5);
    expect(k).not.toBeNull();
    expect(k!.memory.buffer.byteLength).toBeGreaterThanOrEqual(3 * 65536 + 5);
    expect(Object.keys(k!.hist).sort()).toContain("node_ghc8");
  });

  it("the committed binary is the assembled kernels-wat.ts (run build:wasm after editing it)", async () => {
    const bytes = await assembleKernels();
    expect(Buffer.from(bytes).toString("base64")).toBe(KERNELS_WASM_BASE64);
  });

  const { x, y, yBin, yCount, w } = data(3000, 14, 7);
  const base: HistGradientBoostingOptions = { maxIter: 15, maxLeafNodes: 15, minSamplesLeaf: 5, seed: 3 };
  const cases: [string, HistGradientBoostingOptions, Float64Array, Float64Array | undefined][] = [
    ["squared error", { ...base, categoricalFeatures: [13] }, y, undefined],
    ["squared error, weighted", base, y, w],
    ["logistic (hessian channel)", { ...base, loss: "logistic" }, yBin, undefined],
    ["poisson, weighted", { ...base, loss: "poisson" }, yCount, w],
    ["row and column subsampling", { ...base, rowSubsample: 0.7, colSubsample: 0.6 }, y, undefined],
  ];
  for (const [name, opts, target, weights] of cases) {
    it(`grow the same trees as the JavaScript kernels: ${name}`, () => {
      const fit = () =>
        new HistGradientBoosting(opts).fit(x, target, weights ? { weights } : undefined).toJSON();
      const a = fitJson("wasm", fit);
      const b = fitJson("js", fit);
      expect(a).toBe(b);
      expect(JSON.parse(a).feature.length).toBeGreaterThan(15);
    });
  }

  it("predict the same values as the JavaScript traversal (NaN rows, odd row counts, fewer iterations)", () => {
    const model = new HistGradientBoosting({ ...base, maxIter: 25 }).fit(x, y);
    for (const rows of [1, 3, 4, 7, 1001]) {
      const sub = x.selectRows(Int32Array.from({ length: rows }, (_, i) => (i * 7) % x.rows));
      for (const iterations of [25, 9]) {
        setWasmPredict(true);
        const a = model.predict(sub, undefined, { iterations });
        setWasmPredict(false);
        const b = model.predict(sub, undefined, { iterations });
        expect(Array.from(a)).toEqual(Array.from(b));
      }
    }
    // and the NaN-free fast path (no missing values anywhere in the input)
    const clean = x.selectRows(Int32Array.from({ length: 1003 }, (_, i) => i));
    for (let j = 0; j < clean.data.length; j++) if (Number.isNaN(clean.data[j])) clean.data[j] = 0.25;
    setWasmPredict(true);
    const a = model.predict(clean);
    setWasmPredict(false);
    expect(Array.from(a)).toEqual(Array.from(model.predict(clean)));
    let nanRows = 0;
    for (let i = 0; i < 1001; i++) if (Number.isNaN(x.get((i * 7) % x.rows, 3))) nanRows++;
    expect(nanRows).toBeGreaterThan(10);
  });
  it("keep each model's packed trees across calls: mixed NaN and clean batches, batches over a chunk, two models", () => {
    const m1 = new HistGradientBoosting({ ...base, maxIter: 12 }).fit(x, y);
    const m2 = new HistGradientBoosting({ ...base, maxIter: 7, loss: "poisson" }).fit(x, yCount);
    const clean = x.selectRows(Int32Array.from({ length: 9000 }, (_, i) => i % x.rows));
    for (let j = 0; j < clean.data.length; j++) if (Number.isNaN(clean.data[j])) clean.data[j] = -0.5;
    const batches = [
      x.selectRows(Int32Array.from([5])),
      clean, // two full chunks and a partial one, dense path
      x.selectRows(Int32Array.from({ length: 4100 }, (_, i) => (i * 3) % x.rows)), // NaN rows, general path
      clean.selectRows(Int32Array.from([1, 2, 3])), // after a larger batch: stale rows stay unread
      x.selectRows(Int32Array.from({ length: 13 }, (_, i) => i)),
    ];
    for (let round = 0; round < 2; round++) {
      for (const sub of batches) {
        for (const model of [m1, m2]) {
          setWasmPredict(true);
          const a = model.predict(sub, undefined, { iterations: round === 0 ? model.nIter : 5 });
          setWasmPredict(false);
          const b = model.predict(sub, undefined, { iterations: round === 0 ? model.nIter : 5 });
          expect(Array.from(a)).toEqual(Array.from(b));
        }
      }
    }
  });
});
