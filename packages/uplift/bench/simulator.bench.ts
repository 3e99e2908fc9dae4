/**
 * Simulator `default` world (control + 4 credit depths, lifecycle regimes, noisy value): value and
 * cost heads fitted on a uniformly randomized log, diagnosed on an independent logged holdout
 * against the exact truth: sqrt(PEHE) of both heads, calibration slopes, ranking monotonicity,
 * Qini/AUUC, the cost-aware curve and bootstrap stability.
 */
import { performance } from "node:perf_hooks";
import { recordSuite } from "@cia/bench";
import { BinMapper, HistGradientBoosting } from "@cia/learners";
import { createWorld, uniformDesign } from "@cia/simulator";
import {
  diagnoseUplift,
  fitUplift,
  type MetaLearnerKind,
  splitStability,
  type UpliftOptions,
} from "../src/index.js";

const nTrain = Number(process.env.UPLIFT_SIM_N ?? 40000);
const world = createWorld("default");
const k = world.actions.length;
const pop = world.sampleUnits(nTrain, { seed: 1 });
const log = world.log(pop, uniformDesign(k), { seed: 2 });
const hold = world.sampleUnits(20000, { seed: 3 });
const holdLog = world.log(hold, uniformDesign(k), { seed: 4 });
const truth = world.truth(hold);
// Value is the noisy label (lesson 3): heavier regularization than the cost head.
const valueLearner = () =>
  new HistGradientBoosting({
    maxIter: Number(process.env.UPLIFT_SIM_VITER ?? 100),
    learningRate: Number(process.env.UPLIFT_SIM_VLR ?? 0.03),
    maxLeafNodes: 7,
    minSamplesLeaf: Number(process.env.UPLIFT_SIM_VLEAF ?? 400),
    l2Regularization: 5,
    seed: 0,
  });
const costLearner = () =>
  new HistGradientBoosting({
    maxIter: 100,
    learningRate: 0.1,
    maxLeafNodes: 31,
    minSamplesLeaf: 50,
    seed: 0,
  });
const shared = (x: Parameters<typeof BinMapper.fit>[0]) => ({
  binMapper: BinMapper.fit(x, { maxBins: 255, seed: 0 }),
});
const logged = Float64Array.from(holdLog.action, (a, i) => holdLog.actionProbabilities[i * k + a]!);
const sd = (t: Float64Array, a: number) => {
  let m = 0;
  for (let i = 0; i < hold.n; i++) m += t[i * k + a]!;
  m /= hold.n;
  let s = 0;
  for (let i = 0; i < hold.n; i++) s += (t[i * k + a]! - m) ** 2;
  return Math.sqrt(s / hold.n);
};
// "x-drselect" is the X-learner with combine: "dr-select" (2-fold cross-fitted weights).
const learners = process.env.UPLIFT_VARIANTS?.split(",") ?? ["x", "x-drselect", "t"];
const resamples = Number(process.env.UPLIFT_SIM_B ?? 8);
const cases = [];
for (const variant of learners) {
  const [meta, combine] = variant.split("-") as [MetaLearnerKind, string | undefined];
  const t0 = performance.now();
  const train = {
    features: pop.features,
    action: log.action,
    value: log.value,
    cost: log.cost,
    propensity: log.actionProbabilities,
  };
  const options: UpliftOptions = {
    learner: meta,
    combine: combine === "drselect" ? "dr-select" : undefined,
    value: { learner: valueLearner, sharedFitOptions: shared },
    cost: { learner: costLearner, sharedFitOptions: shared },
    bootstrap: resamples > 1 ? { resamples } : undefined,
    actionNames: world.actions.map((a) => a.name),
    seed: 7,
  };
  const model = fitUplift(train, options);
  const fitMs = performance.now() - t0;
  // Stability across splits: single models (no bootstrap) on two halves, compared on the holdout.
  const split = splitStability(train, { ...options, bootstrap: undefined }, hold.features, {
    seed: 11,
    topFraction: 0.1,
  });
  const d = diagnoseUplift(model, {
    features: hold.features,
    action: holdLog.action,
    value: holdLog.value,
    cost: holdLog.cost,
    propensity: logged,
    propensityMatrix: holdLog.actionProbabilities,
    truth: { tauValue: truth.tauValue, tauCost: truth.tauCost },
  });
  const r = d.ranking!;
  const vSlope = d.calibration.value.pooled.slope;
  const cSlope = d.calibration.cost!.pooled.slope;
  const metrics: Record<string, number | string | null> = {
    n_train: nTrain,
    bootstrap_members: model.resamples,
    value_calibration_slope_ipw: vSlope,
    cost_calibration_slope_ipw: cSlope,
    value_calibration_slope_truth: d.calibration.value.pooled.truthSlope,
    cost_calibration_slope_truth: d.calibration.cost!.pooled.truthSlope,
    ranking_inversions_ipw: r.inversions,
    ranking_spearman_ipw: r.spearman,
    ranking_inversions_truth: r.truthInversions,
    ranking_spearman_truth: r.truthSpearman,
    cost_curve_ipw_value_total: d.costCurve!.ipwValue.at(-1)!,
    cost_curve_true_value_total: d.costCurve!.trueValue!.at(-1)!,
    cost_curve_true_cost_total: d.costCurve!.trueCost!.at(-1)!,
    bootstrap_value_spearman: d.bootstrapStability?.value.meanSpearman ?? null,
    bootstrap_cost_spearman: d.bootstrapStability?.cost?.meanSpearman ?? null,
    bootstrap_value_top10_overlap: d.bootstrapStability?.value.meanTopKOverlap ?? null,
    split_value_spearman: split.value.spearman,
    split_value_top10_overlap: split.value.topKOverlap,
    split_cost_spearman: split.cost?.spearman ?? null,
    split_cost_top10_overlap: split.cost?.topKOverlap ?? null,
    split_efficiency_spearman: split.efficiency?.spearman ?? null,
  };
  for (let a = 1; a < k; a++) {
    const name = world.actions[a]!.name;
    metrics[`sqrt_pehe_value_${name}`] = d.sqrtPehe!.value[a]!;
    metrics[`sd_true_value_${name}`] = sd(truth.tauValue, a);
    metrics[`sqrt_pehe_cost_${name}`] = d.sqrtPehe!.cost![a]!;
    metrics[`sd_true_cost_${name}`] = sd(truth.tauCost, a);
    metrics[`qini_value_${name}`] = d.upliftScores[a - 1]!.qini;
    metrics[`qini_value_true_${name}`] = d.upliftScores[a - 1]!.trueQini;
  }
  const inRange = (s: number) => s >= 0.8 && s <= 1.2;
  const pass = inRange(vSlope) && inRange(cSlope) && r.truthInversions === 0;
  const c = {
    name: `simulator default ${variant}`,
    median_ms: fitMs,
    min_ms: fitMs,
    max_ms: fitMs,
    runs: 1,
    target:
      "calibration slopes (value, cost; IPW on the holdout) in [0.8, 1.2]; monotone ranking (0 inversions of true efficiency across predicted-efficiency deciles)",
    pass,
    metrics,
  };
  console.log(c.name, `${fitMs.toFixed(0)} ms`, JSON.stringify(metrics), pass);
  cases.push(c);
}
recordSuite({
  suite: "uplift-simulator",
  description: `Simulator default world: ${nTrain} uniformly randomized training units, 20,000-unit logged holdout with exact truth`,
  cases,
  notes: [
    "Calibration slope: inverse-variance weighted LS of IPW (Hajek) realized uplift on predicted uplift over 10 quantile bins of (unit, offer) items pooled over the 4 offers.",
    "Ranking: (unit, offer) items in 10 bins of predicted CPIV; inversions counted on realized (IPW) and true efficiency.",
  ],
});
