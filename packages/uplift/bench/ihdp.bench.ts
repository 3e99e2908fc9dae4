/**
 * IHDP (10 replications, CEVAE copy): out-of-sample sqrt(PEHE) of the S, T, X and DR learners
 * with CausalML 0.17's settings (sklearn HGB defaults, max_iter 100, lr 0.1, 31 leaves, no early
 * stopping; logistic propensity C = 1 fitted on train), against the IHDP reference file (`ihdp.json` under CIA_REFERENCE_DIR).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { dataDir, hasData, recordSuite } from "@cia/bench";
import { LogisticRegression } from "@cia/learners";
import { fitUplift } from "../src/index.js";
import {
  CAUSALML_VARIANTS,
  causalmlHgb,
  featureMatrix,
  numColumn,
  readCsv,
  splitRows,
} from "./bench-data.js";

if (!hasData("ihdp")) {
  console.warn(`ihdp bench skipped: ${resolve(dataDir(), "ihdp")} not found (set CIA_DATA_DIR)`);
  process.exit(0);
}
const refPath = resolve(dataDir(), "../reference/ihdp.json");
const ref = JSON.parse(readFileSync(refPath, "utf8")) as {
  per_replication: Record<
    string,
    { learners: Record<string, { sqrt_pehe_out: number; fit_predict_s_median: number }> }
  >;
};

const hgb = causalmlHgb;
const only = process.env.UPLIFT_VARIANTS?.split(",");
const allVariants = CAUSALML_VARIANTS;
const variants = allVariants.filter((v) => !only || only.includes(v.name));
const results: Record<string, { out: number[]; inn: number[]; ms: number[] }> = {};
const constOut: number[] = [];
for (let r = 1; r <= 10; r++) {
  const csv = readCsv(resolve(dataDir(), `ihdp/ihdp_npci_${r}.csv`));
  const tr = splitRows(csv, "train");
  const te = splitRows(csv, "test");
  const xs = Array.from({ length: 25 }, (_, j) => numColumn(csv, `x${j + 1}`));
  const mat = (rows: number[]) => featureMatrix(xs, rows);
  const w = numColumn(csv, "treatment");
  const y = numColumn(csv, "y_factual");
  const mu0 = numColumn(csv, "mu0");
  const mu1 = numColumn(csv, "mu1");
  const xTr = mat(tr);
  const xTe = mat(te);
  const wTr = Int32Array.from(tr, (i) => w[i]!);
  const yTr = Float64Array.from(tr, (i) => y[i]!);
  const prop = new LogisticRegression({ C: 1 }).fit(xTr, Float64Array.from(wTr));
  const pm = (x: typeof xTr) => {
    const p = prop.predict(x);
    const out = new Float64Array(x.rows * 2);
    for (let i = 0; i < x.rows; i++) {
      out[2 * i] = 1 - p[i]!;
      out[2 * i + 1] = p[i]!;
    }
    return out;
  };
  const pTr = pm(xTr);
  const pTe = pm(xTe);
  const tauTe = Float64Array.from(te, (i) => mu1[i]! - mu0[i]!);
  const tauTr = Float64Array.from(tr, (i) => mu1[i]! - mu0[i]!);
  const rmse = (pred: Float64Array, tau: Float64Array) => {
    let s = 0;
    for (let i = 0; i < tau.length; i++) s += (pred[i * 2 + 1]! - tau[i]!) ** 2;
    return Math.sqrt(s / tau.length);
  };
  let m1 = 0;
  let n1 = 0;
  let m0 = 0;
  for (let i = 0; i < yTr.length; i++) {
    if (wTr[i]) {
      m1 += yTr[i]!;
      n1++;
    } else m0 += yTr[i]!;
  }
  const ateConst = m1 / n1 - m0 / (yTr.length - n1);
  constOut.push(Math.sqrt(tauTe.reduce((s, t) => s + (t - ateConst) ** 2, 0) / tauTe.length));
  for (const v of variants) {
    const t0 = performance.now();
    const model = fitUplift(
      { features: xTr, action: wTr, value: yTr, propensity: pTr },
      { ...v.opts, value: { learner: hgb }, propensity: { source: "logged", clip: 1e-3 }, seed: 0 },
    );
    const pin = model.predict(xTr, { propensity: pTr });
    const pout = model.predict(xTe, { propensity: pTe });
    const ms = performance.now() - t0;
    const res = (results[v.name] ??= { out: [], inn: [], ms: [] });
    res.out.push(rmse(pout.tauValue, tauTe));
    res.inn.push(rmse(pin.tauValue, tauTr));
    res.ms.push(ms);
  }
  console.log(
    `rep ${r}: ${variants.map((v) => `${v.name} ${results[v.name]!.out[r - 1]!.toFixed(3)}`).join("  ")}  const ${constOut[r - 1]!.toFixed(3)}`,
  );
}
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const median = (a: number[]) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const cases = variants.map((v) => {
  const r = results[v.name]!;
  const refOut = Array.from(
    { length: 10 },
    (_, i) => ref.per_replication[String(i + 1)]!.learners[v.ref]!.sqrt_pehe_out,
  );
  const refMs = Array.from(
    { length: 10 },
    (_, i) => ref.per_replication[String(i + 1)]!.learners[v.ref]!.fit_predict_s_median * 1000,
  );
  const beatsConst = r.out.filter((o, i) => o < constOut[i]!).length;
  const isX = v.name.startsWith("X");
  const pass = mean(r.out) <= 2.264 && median(r.out) <= 0.86 && beatsConst >= 9;
  return {
    name: `ihdp ${v.name}`,
    median_ms: median(r.ms),
    min_ms: Math.min(...r.ms),
    max_ms: Math.max(...r.ms),
    runs: 10,
    peer: { name: `causalml ${v.ref}`, median_ms: median(refMs), source: "recorded" as const },
    ratio: median(r.ms) / median(refMs),
    ...(isX
      ? { target: "mean sqrt(PEHE) out <= 2.26, median <= 0.86, beats ATE_const in >= 9/10", pass }
      : {}),
    metrics: {
      sqrt_pehe_out_mean: mean(r.out),
      sqrt_pehe_out_median: median(r.out),
      sqrt_pehe_in_mean: mean(r.inn),
      causalml_sqrt_pehe_out_mean: mean(refOut),
      causalml_sqrt_pehe_out_median: median(refOut),
      beats_ate_const: beatsConst,
      per_replication_out: r.out.map((o) => o.toFixed(3)).join(" "),
    },
  };
});
for (const c of cases)
  console.log(c.name, JSON.stringify(c.metrics), `time ratio ${c.ratio.toFixed(2)}`, c.pass ?? "");
recordSuite({
  suite: process.env.UPLIFT_SUITE ?? "uplift-ihdp",
  description:
    "IHDP 10 replications: out-of-sample sqrt(PEHE) vs CausalML 0.17 (same HGB settings, logistic propensity)",
  cases,
  notes: [
    `ATE_const out-of-sample sqrt(PEHE): mean ${mean(constOut).toFixed(3)}, median ${median(constOut).toFixed(3)}`,
    "Time = fit + predict(train) + predict(test), per replication; peer times recorded in the IHDP reference file (`ihdp.json` under CIA_REFERENCE_DIR).",
    'X = Kuenzel/CausalML propensity combination; X-drstack = one weight per offer chosen by the out-of-sample DR loss (2-fold cross-fitting: extra models refitted on each half, evaluated on the other); X-drselect = that weight only where it beats the propensity combination by one SE (same cross-fit; X-drselect-holdout: extra models fitted on 2/3 of the rows, evaluated on the other 1/3). DR = CausalML\'s 3-fold rotation (outcome models on one third, effect model on the next; the default drScheme "rotate"); DR-cf = 3-fold cross-fitting stratified by arm (drScheme "cross-fit").',
  ],
});
