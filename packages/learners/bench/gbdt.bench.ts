/**
 * GBDT speed and accuracy against sklearn's HistGradientBoostingRegressor, side by side in one run
 * (reference.md section 5): 100k and 1M rows x 20 features, 100 and 300 iterations, lr 0.1,
 * 31 leaves, 255 bins, min_samples_leaf 20, l2 0, no early stopping, single-threaded.
 *
 * - Data: regenerated exactly with the numpy recipe when bench/.data/gbdt is missing.
 * - sklearn: gbdt_peer.py from the peers folder beside CIA_DATA_DIR, with OMP_NUM_THREADS=1 (falls back to the recorded
 *   reference times in ../shared/reference/gbdt.json if python3/sklearn is unavailable).
 * - Ours: one 300-iteration fit per size; the 100-iteration fit time is the time at which the
 *   100th tree is done (the first 100 iterations of a 300-iteration fit are exactly a
 *   100-iteration fit). CSV parsing is excluded; binning is included (as in sklearn's fit).
 * - Test RMSE at every checkpoint of the reference curve, and peak extra memory during the fit
 *   (the larger of heap + array buffers and RSS above the pre-fit level; only RSS sees the
 *   WebAssembly memory) over the raw feature matrix bytes.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { dataDir, recordSuite } from "@cia/bench";
import type { CaseResult } from "@cia/bench";
import { denseMatrix } from "@cia/core";
import { HistGradientBoosting } from "../src/index.js";
import type { HistGradientBoostingModel } from "../src/index.js";
import { ensureCsvs, gbdtDataDir, loadDataset } from "./gbdt-data.js";

// The peer scripts sit beside the datasets: CIA_DATA_DIR/../peers.
const peerScript = resolve(dataDir(), "../peers/gbdt_peer.py");
const referenceJson = resolve(
  process.env.CIA_REFERENCE_DIR ?? resolve(dataDir(), "../reference"),
  "gbdt.json",
);
const checkpoints = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 150, 200, 250, 300];
const sizes = (process.env.GBDT_BENCH_SIZES ?? "100k,1m").split(",");

interface PeerRun {
  fit_s: number;
  rmse: number;
  version: string;
  source: "same-run" | "recorded";
}

// biome-ignore lint/suspicious/noExplicitAny: reference JSON written by the peer scripts
const reference: any = existsSync(referenceJson) ? JSON.parse(readFileSync(referenceJson, "utf8")) : null;

function recordedPeer(nTrain: number, iters: number): PeerRun | null {
  if (!reference) return null;
  const runs =
    iters === 100 ? reference.runs_100_iterations_repeats3 : reference.runs_300_iterations_repeats1;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const r = runs?.find((x: any) => x.library === "sklearn" && x.n_train === nTrain);
  return r ? { fit_s: r.fit_s, rmse: r.rmse, version: r.version, source: "recorded" } : null;
}

function referenceCurve(name: string): Record<string, number> | null {
  return reference?.test_rmse_by_iteration?.[name]?.sklearn ?? null;
}

function runPeer(train: string, iters: number, repeats: number): PeerRun | null {
  if (!existsSync(peerScript) || !existsSync("/usr/bin/python3")) return null;
  const r = spawnSync(
    "/usr/bin/python3",
    [
      peerScript,
      "--train",
      resolve(gbdtDataDir, train),
      "--test",
      resolve(gbdtDataDir, "test_200k.csv"),
      "--target",
      "y",
      "--library",
      "sklearn",
      "--max-iter",
      String(iters),
      "--repeats",
      String(repeats),
    ],
    { env: { ...process.env, OMP_NUM_THREADS: "1" }, encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) {
    process.stderr.write(`gbdt_peer.py failed: ${r.stderr}\n`);
    return null;
  }
  const line = r.stdout.trim().split("\n").pop()!;
  const j = JSON.parse(line);
  return { fit_s: j.fit_s, rmse: j.rmse, version: j.version, source: "same-run" };
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function rmse(p: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
  return Math.sqrt(s / y.length);
}

/**
 * Bytes in use, the larger of two views: JS heap + array buffers (exact, but blind to
 * WebAssembly memories, where the tree grower keeps its buffers), and resident set size (sees
 * everything, including pages the allocator has not returned yet).
 */
function usedBytes(): { js: number; rss: number } {
  const m = process.memoryUsage();
  return { js: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

function peakOf(a: { js: number; rss: number }, b: { js: number; rss: number }) {
  return { js: Math.max(a.js, b.js), rss: Math.max(a.rss, b.rss) };
}

if (!ensureCsvs()) {
  process.stderr.write(
    "could not generate the GBDT data (needs /usr/bin/python3 with numpy and pandas); skipping\n",
  );
  process.exit(0);
}
const test = loadDataset("test_200k");
const cases: CaseResult[] = [];
const notes: string[] = [
  "Both sides run in the same process tree one after the other, so machine load (load_avg_1m) affects both; the ratio is the number to read.",
  "Hot loops (node and root histograms, ordered-gradient gathers, partition) run as WebAssembly kernels (src/wasm/kernels-wat.ts) over one memory per fit; the JavaScript kernels remain as fallback and grow identical trees (tested).",
  "Ours: 300-iteration fits (median of 3 at 100k, one at 1M, after a short JIT warm-up fit); the 100-iteration time is when the 100th tree is done. Binning included, CSV parsing excluded. sklearn: gbdt_peer.py with --repeats 3 at 100k, 1 at 1M.",
  "peak_mem_ratio = peak extra bytes during fit (the larger of heap + array buffers and resident set size, which also counts the WebAssembly memory holding the grower's buffers) / raw feature matrix bytes (n x 20 x 8).",
];

// JIT warm-up (sklearn's kernels are compiled ahead of time): a short fit on the first 20k rows.
{
  const warm = loadDataset("train_100k");
  const rows = 20_000;
  const xw = denseMatrix(rows, warm.x.cols, warm.x.data.slice(0, rows * warm.x.cols));
  new HistGradientBoosting({ maxIter: 20 }).fit(xw, warm.y.subarray(0, rows)).predict(xw);
}

for (const size of sizes) {
  const trainName = size === "1m" ? "train_1m" : "train_100k";
  const train = loadDataset(trainName);
  const n = train.x.rows;
  const rawBytes = train.x.data.byteLength;
  // 100k: median of 3 fits (both libraries); 1M: one fit each, to keep the run short.
  const repeats = size === "1m" ? 1 : 3;
  const t100s: number[] = [];
  const t300s: number[] = [];
  const cpu300s: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  let model: HistGradientBoostingModel | undefined;
  let memRatio = 0;
  for (let rep = 0; rep < repeats; rep++) {
    gc?.();
    gc?.();
    const before = usedBytes();
    let peak = before;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let t100 = Number.NaN;
    model = new HistGradientBoosting({
      maxIter: 300,
      learningRate: 0.1,
      maxLeafNodes: 31,
      maxBins: 255,
      minSamplesLeaf: 20,
      l2Regularization: 0,
      seed: 0,
    }).fit(train.x, train.y, {
      onIteration: (it) => {
        if (it === 99) t100 = performance.now() - t0;
        peak = peakOf(peak, usedBytes());
      },
    });
    const t300 = performance.now() - t0;
    peak = peakOf(peak, usedBytes());
    const cpu = process.cpuUsage(c0);
    cpu300s.push((cpu.user + cpu.system) / 1000);
    t100s.push(t100);
    t300s.push(t300);
    memRatio = Math.max(memRatio, Math.max(peak.js - before.js, peak.rss - before.rss) / rawBytes);
  }
  const t100 = median(t100s);
  const t300 = median(t300s);
  const tp = performance.now();
  const pred = model!.predict(test.x);
  const predictMs = performance.now() - tp;
  const curve: Record<string, number> = {};
  for (const k of checkpoints)
    curve[k] =
      k === 300 ? rmse(pred, test.y) : rmse(model!.predict(test.x, undefined, { iterations: k }), test.y);
  const refCurve = referenceCurve(trainName);
  process.stderr.write(
    `ours ${trainName}: fit100 ${t100.toFixed(0)} ms, fit300 ${t300.toFixed(0)} ms, rmse@100 ${curve[100]!.toFixed(4)}, rmse@300 ${curve[300]!.toFixed(4)}, mem ${memRatio.toFixed(2)}x\n`,
  );

  for (const iters of [100, 300]) {
    const peer = runPeer(`${trainName}.csv`, iters, repeats) ?? recordedPeer(n, iters);
    const ms = iters === 100 ? t100 : t300;
    const ours = curve[iters]!;
    const c: CaseResult = {
      name: `fit ${size} x 20, ${iters} iterations`,
      median_ms: ms,
      min_ms: Math.min(...(iters === 100 ? t100s : t300s)),
      max_ms: Math.max(...(iters === 100 ? t100s : t300s)),
      runs: repeats,
      target:
        iters === 300
          ? "time ratio <= 1.0; test RMSE within 1% of sklearn"
          : "time ratio <= 1.0 (RMSE at 100 iterations sits on a cliff: compare the curve)",
      metrics: {
        ours_cpu_ms_300: Math.round(median(cpu300s)),
        load_avg_1m: Number(os.loadavg()[0]!.toFixed(2)),
        test_rmse: Number(ours.toFixed(5)),
        peak_mem_ratio: Number(memRatio.toFixed(3)),
        predict_200k_ms: Math.round(predictMs),
      },
    };
    if (peer) {
      c.peer = {
        name: `sklearn ${peer.version} HistGradientBoostingRegressor`,
        median_ms: peer.fit_s * 1000,
        source: peer.source,
      };
      c.ratio = ms / (peer.fit_s * 1000);
      c.metrics!.sklearn_test_rmse = Number(peer.rmse.toFixed(5));
      c.metrics!.rmse_rel_diff = Number((ours / peer.rmse - 1).toFixed(5));
      const rmseOk = iters === 100 || Math.abs(ours / peer.rmse - 1) <= 0.01;
      c.pass = c.ratio <= 1 && rmseOk && memRatio <= 2;
      process.stderr.write(
        `  sklearn ${iters}: fit ${(peer.fit_s * 1000).toFixed(0)} ms (${peer.source}), rmse ${peer.rmse.toFixed(4)}; ratio ${c.ratio.toFixed(2)}\n`,
      );
    }
    cases.push(c);
  }
  const curveCase: CaseResult = {
    name: `test RMSE curve ${size} (ours vs sklearn reference gbdt.json)`,
    target: "tracks the reference curve",
    metrics: {},
  };
  let worst = 0;
  for (const k of checkpoints) {
    curveCase.metrics![`ours@${k}`] = Number(curve[k]!.toFixed(4));
    const r = refCurve?.[String(k)];
    if (r !== undefined) {
      curveCase.metrics![`sklearn@${k}`] = Number(r.toFixed(4));
      worst = Math.max(worst, Math.abs(curve[k]! / r - 1));
    }
  }
  if (refCurve) {
    curveCase.metrics!.max_rel_diff = Number(worst.toFixed(4));
    curveCase.pass = worst <= 0.01;
  }
  cases.push(curveCase);
}

recordSuite({
  suite: "learners-gbdt",
  description:
    "Histogram gradient boosting vs sklearn HistGradientBoostingRegressor (reference.md section 5 data, OMP_NUM_THREADS=1)",
  cases,
  notes,
});
