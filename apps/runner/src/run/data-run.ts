import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { createRng, gatherRows } from "@cia/core";
import type { Interval } from "@cia/core";
import { averageEffects, sampleRatioMismatch } from "@cia/experiment";
import { readExperimentTable, selectExperimentRows, writeFileAtomic, writeTable } from "@cia/logging-schema";
import type { CiaModelFile, TrainOptions } from "@cia/model";
import { modelInputs, scoreCiaModel, sealCiaModelFile, trainCiaModel } from "@cia/model";
import { evaluatePolicy, fitRewardModel, policyFromActions } from "@cia/ope";
import type { PolicyEvaluation } from "@cia/ope";
import { catalogueAttributes } from "@cia/uplift";
import type { ResolvedRunConfig } from "../config/load-run-config.js";
import { diagnoseTable } from "../commands/diagnose.js";
import { printSummary } from "../io/print-summary.js";
import { terminalProgress } from "../io/progress-bar.js";
import { usageError } from "../io/usage-error.js";
import { guardPaths } from "../io/guard-paths.js";
import { allocateRule } from "./allocate-rule.js";
import { baselineRule } from "./baseline-rule.js";
import { crossFitScores, fitPooledHeads, scoreVariants } from "./decision-inputs.js";
import { decidePolicies } from "./decision-stage.js";
import type { CandidateRule, EvaluationSet } from "./decision-stage.js";
import type { DataPolicyResult, DataRunResult, FrontierEstimate } from "./data-run-result.js";
import { buildDataReport } from "./data-report.js";
import { buildHeadline } from "./headline.js";
import { evaluateOnSets } from "./evaluate-on-sets.js";
import { formatAmount } from "../report/format-amount.js";
import { jsonSafe } from "./json-safe.js";
import { qiniCurves } from "./qini-curves.js";
import { loadLoggedData } from "./load-logged-data.js";

/** A path as the report shows it: relative to the working directory when inside it. */
function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r && !r.startsWith("..") && !isAbsolute(r) ? r : path;
}

/** Options of {@link runOnData} beyond the config. */
export interface DataRunOptions {
  quiet?: boolean | undefined;
}

/** The files `cia run --config` writes into its output folder. */
const RUN_OUTPUT_FILES = ["report.html", "report.json", "assignment.csv", "model.json", "table.csv"] as const;

/**
 * `cia run --config`: the whole loop on the user's logged data. Read the data (a table, or logs
 * labelled over the learning and accounting horizons), split off a holdout, learn value and cost
 * heads and the decision layer's pooled heads (cross-fitted), diagnose on the holdout, decide
 * (every rule's budget calibrated to the DR bound of its spend, the recommendation by the lower
 * bound of its paired gain over the baseline), validate every candidate off-policy (DR, SNIPS,
 * IPS, DM with bootstrap intervals: there is no truth on real data), and write report.html,
 * report.json, assignment.csv (the recommended policy on the assigned units), model.json and
 * table.csv.
 *
 * @example
 * const r = await runOnData(loadRunConfig("examples/own-data/cia.config.json"));
 * r.recommended; r.headline.perUnit.value;
 */
export async function runOnData(
  cfg: ResolvedRunConfig,
  options: DataRunOptions = {},
): Promise<DataRunResult> {
  // The outputs land in one folder next to (often beside) the user's data: refuse, before anything
  // is read, a folder whose report.json, model.json, assignment.csv or table.csv is one of the inputs.
  guardPaths({
    inputs: {
      config: cfg.file === "(inline config)" ? undefined : cfg.file,
      "data.table": cfg.data.table,
      "data.decisions": cfg.data.decisions,
      "data.outcomes": cfg.data.outcomes,
      "assign.table": cfg.assign?.table,
    },
    outputs: Object.fromEntries(RUN_OUTPUT_FILES.map((f) => [`out/${f}`, join(cfg.out, f)] as const)),
    dirs: { out: cfg.out },
  });
  const created = !existsSync(cfg.out);
  mkdirSync(cfg.out, { recursive: true });
  // Every output is written to a staging folder inside out/ and renamed into place together at the
  // end: a run refused half-way leaves out/ as it was, never a new model.json beside an old report.
  const stage = mkdtempSync(join(cfg.out, ".cia-run-"));
  try {
    return await runInStage(cfg, stage, options);
  } catch (e) {
    // Refused: an out/ folder this run made goes too (nothing else was written to it).
    if (created) rmSync(cfg.out, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** {@link runOnData} with its outputs written to `stage`, then renamed into `cfg.out`. */
async function runInStage(
  cfg: ResolvedRunConfig,
  stage: string,
  options: DataRunOptions,
): Promise<DataRunResult> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => {
    timings[name] = (Date.now() - since) / 1000;
  };
  const progress = terminalProgress({ quiet: options.quiet ?? false });
  const seed = cfg.seed;

  // 1. The data.
  let s = Date.now();
  progress.start("read the data");
  const data = await loadLoggedData(cfg, stage);
  const { table, actions: names } = data;
  const k = names.length;
  const n = table.n;
  const action = table.action!;
  progress.finish();
  lap("read", s);
  // Named by the user's data file (out/table.csv is only the normalized copy of it).
  const source = cfg.data.table ?? cfg.data.decisions ?? table.file;
  if (n < 50)
    throw usageError(
      `${source}: ${n} rows is too few to learn and evaluate (50 at least${cfg.data.sample !== undefined ? `; data.sample in ${cfg.file} is ${cfg.data.sample}` : ""})`,
    );
  for (let a = 0; a < k; a++)
    if (!action.some((x) => x === a))
      throw usageError(
        `${cfg.file}: actions[${a}]: action '${names[a]}' never appears in ${source}: OPE cannot evaluate a policy that uses it; remove it from "actions"`,
      );
  const baseline = baselineRule(cfg.baseline, names, cfg.file);
  // The rule's column is checked now, on the data, not after the learning.
  baseline.actionsOn(table);
  const effects = averageEffects({
    action,
    propensity: table.propensity!,
    value: table.value!,
    cost: table.cost!,
    actions: names,
  });
  let srm = null;
  if (data.loggingProbabilities) {
    const counts = new Float64Array(k);
    for (const a of action) counts[a]!++;
    srm = sampleRatioMismatch({ observed: counts, expected: new Float64Array(k).fill(n / k) });
  }

  // 2. Learn on the training share; the holdout is for diagnostics and OPE.
  s = Date.now();
  const order = createRng(`${seed}/split`).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const nTrain = Math.round(n * (1 - (cfg.holdout ?? 0.3)));
  // Both shares need rows: too few held out and diagnostics and OPE have nothing to average over.
  const MIN_SPLIT_ROWS = 20;
  if (Math.min(nTrain, n - nTrain) < MIN_SPLIT_ROWS)
    throw usageError(
      `${cfg.file}: holdout: ${cfg.holdout ?? 0.3} of ${n} rows leaves ${nTrain} to train on and ${n - nTrain} held out; each needs ${MIN_SPLIT_ROWS} at least (choose a holdout share between ${(MIN_SPLIT_ROWS / n).toFixed(3)} and ${(1 - MIN_SPLIT_ROWS / n).toFixed(3)})`,
    );
  const trainRows = Int32Array.from(order.subarray(0, nTrain)).sort();
  const holdRows = Int32Array.from(order.subarray(nTrain)).sort();
  const train = selectExperimentRows(table, trainRows, `${table.file} (train)`);
  const hold = selectExperimentRows(table, holdRows, `${table.file} (holdout)`);
  const probs = data.loggingProbabilities;
  const trainProbs = probs ? gatherRows(probs, trainRows, k) : null;
  const holdProbs = probs ? gatherRows(probs, holdRows, k) : null;
  const bootstraps = cfg.model?.bootstraps ?? 4;
  const base = cfg.model?.base ?? "gbdt";
  const trainOptions: TrainOptions = {
    learner: "x",
    base,
    bootstraps,
    propensity: trainProbs ? "logged" : "column",
    ...(trainProbs ? { actionProbabilities: trainProbs } : {}),
    actions: names,
    control: names[0]!,
    cost: true,
    seed,
    progress,
  };
  const model = trainCiaModel(train, trainOptions);
  lap("learn", s);

  // The decision layer's heads: pooled over the offers' attributes (face value and channel when
  // the catalogue gives them, else one indicator per offer), cross-fitted on the training rows.
  s = Date.now();
  progress.start("decision layer: pooled heads and cross-fitting");
  const catalogue = cfg.actions;
  const attributes = catalogue?.slice(1).every((a) => a.faceValue !== undefined)
    ? catalogueAttributes(
        catalogue.map((a, i) => ({ credit: i === 0 ? 0 : a.faceValue!, channel: a.channel })),
      )
    : Array.from({ length: k }, (_, a) => Array.from({ length: k - 1 }, (_, j) => (a === j + 1 ? 1 : 0)));
  const trainAction = train.action!;
  const trainMatrix = modelInputs(model, train).matrix;
  const pooled = fitPooledHeads(trainMatrix, trainAction, train, attributes, null, 1);
  const outOfFold = crossFitScores(train, trainMatrix, trainAction, trainOptions, model, attributes, null, {
    folds: 3,
    bootstraps: Math.min(2, bootstraps),
    seed,
  });
  progress.finish();
  lap("decision heads", s);
  await writeFileAtomic(
    join(stage, "model.json"),
    JSON.stringify(
      sealCiaModelFile({
        ...model.file,
        decision_heads: {
          action_attributes: attributes,
          value: pooled.value.toJSON(),
          proxy: null,
          cost: pooled.cost.toJSON(),
        },
      } satisfies CiaModelFile),
    ),
  );

  // Diagnostics on the holdout (no truth: realized uplift by IPW, with intervals).
  s = Date.now();
  progress.start("diagnostics");
  const diagnostics = diagnoseTable(model, hold, {
    bins: 10,
    ...(holdProbs ? { propensityMatrix: holdProbs } : {}),
  });
  const scored = scoreCiaModel(model, hold, holdProbs ? { propensity: holdProbs } : {});
  const tv = scored.prediction.tauValue;
  const tc = scored.prediction.tauCost!;
  const holdAction = hold.action!;
  const qini = qiniCurves({ action: holdAction, value: hold.value!, tauValue: tv, k, names });
  progress.finish();
  lap("diagnose", s);

  // 3. Decide. The budget is a total over the assigned units; the decision runs per unit.
  s = Date.now();
  const assignTable = cfg.assign
    ? await readExperimentTable(cfg.assign.table, {
        features: model.file.contract.features.map((f) => f.name),
      })
    : table;
  const assignedUnits = assignTable.n;
  const budgetPerUnit = cfg.budget / assignedUnits;
  const holdScores = scoreVariants({ tauValue: tv, tauCost: tc }, pooled, scored.inputs.matrix);
  const q = fitRewardModel(
    {
      features: scored.inputs.matrix,
      action: holdAction,
      k,
      outcomes: { value: hold.value!, cost: hold.cost },
      tau: { value: tv, cost: holdScores.honestCost!.tauCost },
      propensity: hold.propensity,
    },
    { base },
  );
  const holdBaseline = baseline.actionsOn(hold);
  const sets: EvaluationSet[] = [
    {
      name: "holdout",
      n: hold.n,
      action: holdAction,
      propensity: hold.propensity!,
      loggingProbabilities: holdProbs,
      value: hold.value!,
      cost: hold.cost!,
      baseline: holdBaseline,
      qValue: q.value,
      qCost: q.cost!,
      scores: holdScores,
    },
    {
      name: "training rows, out of fold",
      n: train.n,
      action: trainAction,
      propensity: train.propensity!,
      loggingProbabilities: trainProbs,
      value: train.value!,
      cost: train.cost!,
      baseline: baseline.actionsOn(train),
      qValue: outOfFold.qValue,
      qCost: outOfFold.qCost,
      scores: outOfFold.scores,
    },
  ];
  const rules: CandidateRule[] = [
    {
      name: "cia (honest cost)",
      scores: "honestCost",
      note: "meta-learner value, pooled non-negative cost head, budget calibrated to the DR spend bound",
    },
    {
      name: "cia (pooled offers)",
      scores: "pooled",
      note: "pooled value head over the offers' attributes, pooled cost head, budget calibrated",
    },
    {
      name: "optimizer",
      scores: "plugin",
      calibrate: false,
      note: "plug-in optimizer on the meta-learner, budget as given",
    },
  ];
  const guardrails = cfg.guardrails ?? {};
  const decision = decidePolicies(sets, rules, {
    k,
    budgetPerUnit,
    baselineName: baseline.name,
    criterion: "upper",
    level: 0.8,
    spendLevel: 0.8,
    guardrails,
  });
  lap("decide", s);

  // 4. Validate every candidate on the holdout with bootstrap intervals (no truth: OPE only).
  s = Date.now();
  const resamples = cfg.opeBootstraps ?? 500;
  const opeData = {
    k,
    action: holdAction,
    propensity: hold.propensity!,
    value: hold.value!,
    cost: hold.cost!,
    ...(holdProbs ? { loggingProbabilities: holdProbs } : {}),
    actionNames: names,
  };
  const qHat = { value: q.value, cost: q.cost! };
  const evaluate = (actions: Int32Array, name: string, against: Int32Array | "control"): PolicyEvaluation =>
    evaluatePolicy(opeData, {
      target: policyFromActions(actions, k),
      baseline: against === "control" ? "control" : policyFromActions(against, k),
      qHat,
      estimators: ["ips", "snips", "dm", "dr"],
      interval: { method: "bootstrap", resamples, seed: `${seed}/ope/${name}` },
    });
  const candidates: { name: string; note: string; actions: Int32Array; scores?: string }[] = [
    { name: baseline.name, note: baseline.rule, actions: holdBaseline },
    ...names.slice(1).map((a, j) => ({
      name: `everyone: ${a}`,
      note: `every unit gets ${a}`,
      actions: new Int32Array(hold.n).fill(j + 1),
    })),
    ...decision.candidates.map((c, j) => ({
      name: c.name,
      note: c.note,
      actions: c.actions[0]!,
      scores: rules[j]!.scores,
    })),
  ].filter((c, i, all) => all.findIndex((d) => d.name === c.name) === i);
  progress.start("off-policy evaluation", candidates.length);
  const policies: DataPolicyResult[] = candidates.map((c) => {
    const sc = holdScores[c.scores ?? "plugin"]!;
    let pv = 0;
    let pc = 0;
    let treated = 0;
    c.actions.forEach((a, i) => {
      if (a === 0) return;
      treated++;
      pv += sc.tauValue[i * k + a]!;
      pc += sc.tauCost[i * k + a]!;
    });
    const ev = evaluate(c.actions, c.name, "control");
    progress.advance();
    return {
      name: c.name,
      note: c.note,
      treated,
      predictedValue: pv / hold.n,
      predictedCost: pc / hold.n,
      ope: ev,
    };
  });
  progress.finish();
  const recommended = decision.selection.recommended;
  const rec = candidates.find((c) => c.name === recommended) ?? candidates[0]!;
  // The headline rests on the evidence the recommendation was chosen on: both evaluation sets.
  const recDecided = decision.candidates.find((c) => c.name === recommended);
  const headlineEval = evaluateOnSets(
    sets,
    recDecided ? recDecided.actions : sets.map((x) => x.baseline),
    k,
    {
      method: "normal",
      level: decision.level,
    },
  );

  // The recommendation against the runner-up, paired: can the data tell them apart?
  const ranked = decision.candidates
    .filter((c) => c.eligible && c.name !== recommended)
    .sort((a, b) => b.valueVsBaseline.lower - a.valueVsBaseline.lower);
  const runnerUpName = recommended === baseline.name ? ranked[0]?.name : (ranked[0]?.name ?? baseline.name);
  let runnerUp: DataRunResult["runnerUp"] = null;
  if (runnerUpName) {
    const other = candidates.find((c) => c.name === runnerUpName)!;
    const ev = evaluatePolicy(opeData, {
      target: policyFromActions(rec.actions, k),
      baseline: policyFromActions(other.actions, k),
      qHat,
      estimators: ["dr"],
      interval: { method: "normal", level: 0.9 },
    });
    const d = ev.estimates.dr!.versusBaseline!.value;
    const difference: Interval = { estimate: d.estimate, lower: d.lower, upper: d.upper };
    runnerUp = { name: runnerUpName, difference, distinguishable: d.lower > 0 || d.upper < 0 };
  }

  // The estimated frontier: the best calibrated rule's allocation at multiples of the budget, by DR.
  const frontierRule = rules.find((r) => r.name === recommended) ?? rules[0]!;
  const frontierScores = holdScores[frontierRule.scores]!;
  const handed = decision.candidates.find((c) => c.name === frontierRule.name)!.handedBudgetPerUnit;
  const frontierPoints: FrontierEstimate[] = [0.25, 0.5, 0.75, 1, 1.5, 2, 3].map((share) => {
    const acts = allocateRule(frontierScores, { n: hold.n, k, budget: handed * share * hold.n, guardrails });
    const dr = evaluatePolicy(opeData, {
      target: policyFromActions(acts, k),
      baseline: "control",
      qHat,
      estimators: ["dr"],
      interval: { method: "normal", level: 0.9 },
    }).estimates.dr!.incremental!;
    return {
      budgetShare: share,
      budgetPerUnit: budgetPerUnit * share,
      value: { estimate: dr.value.estimate, lower: dr.value.lower, upper: dr.value.upper },
      cost: { estimate: dr.cost!.estimate, lower: dr.cost!.lower, upper: dr.cost!.upper },
    };
  });
  lap("validate", s);

  // The shipped assignment: the recommended rule on the assigned units (the baseline when kept).
  s = Date.now();
  let shipped: Int32Array;
  const recRule = rules.find((r) => r.name === recommended);
  if (recRule) {
    const sa = scoreCiaModel(
      model,
      assignTable,
      holdProbs ? { propensity: new Float64Array(assignedUnits * k).fill(1 / k) } : {},
    );
    const variants = scoreVariants(
      { tauValue: sa.prediction.tauValue, tauCost: sa.prediction.tauCost! },
      pooled,
      sa.inputs.matrix,
    );
    const handedRec = decision.candidates.find((c) => c.name === recRule.name)!.handedBudgetPerUnit;
    shipped = allocateRule(variants[recRule.scores]!, {
      n: assignedUnits,
      k,
      budget: handedRec * assignedUnits,
      guardrails,
    });
  } else {
    shipped = baseline.actionsOn(assignTable);
  }
  const headline = buildHeadline({
    recommended,
    rule: recRule
      ? `Model-targeted: each unit gets the offer with the most predicted incremental value for its cost, best first, until the budget (${formatAmount(cfg.budget, cfg.units?.cost ?? "")}) is spent${Object.keys(guardrails).length ? ", within the guardrails" : ""}`
      : `Keep the baseline rule: ${baseline.rule}`,
    baseline: baseline.name,
    evaluation: headlineEval,
    assignment: shipped,
    actions: names,
    evaluatedOn: `holdout plus the training rows scored out of fold (${decision.units.toLocaleString("en-US")} logged units, each scored by models that never saw it; the evidence the recommendation was chosen on)`,
    valueUnit: cfg.units?.value,
    costUnit: cfg.units?.cost,
  });
  lap("assign", s);

  const result: DataRunResult = {
    kind: "data",
    name: cfg.name ?? "your data",
    config: cfg.file,
    data: cfg.data.table
      ? shown(cfg.data.table)
      : `${shown(cfg.data.decisions!)} + ${shown(cfg.data.outcomes!)}`,
    seed,
    units: n,
    rowsRead: data.rowsRead,
    trainUnits: nTrain,
    holdoutUnits: hold.n,
    assignedUnits,
    actions: names,
    assumptions: data.assumptions,
    valueUnit: cfg.units?.value ?? "",
    costUnit: cfg.units?.cost ?? "",
    labels: data.labels,
    srm,
    effects,
    model: {
      learner: "x",
      base,
      bootstraps,
      contractHash: model.file.contract_hash,
      propensity: model.uplift.propensityReport,
    },
    diagnostics,
    qini,
    budget: cfg.budget,
    budgetPerUnit,
    guardrails: Object.fromEntries(Object.entries(guardrails).filter(([, v]) => v !== undefined)) as Record<
      string,
      number
    >,
    baseline: { name: baseline.name, rule: baseline.rule },
    policies,
    frontier: { rule: frontierRule.name, points: frontierPoints },
    recommended,
    decision: {
      recommended,
      fallback: decision.selection.fallback,
      reason: decision.selection.reason,
      level: decision.level,
      spendCriterion: decision.criterion,
      evaluationUnits: decision.units,
      candidates: decision.candidates.map((c) => ({
        name: c.name,
        handedBudgetPerUnit: c.handedBudgetPerUnit,
        predictedSpendPerUnit: c.predictedSpendPerUnit,
        opeSpendPerUnit: c.opeSpendPerUnit,
        valueVsBaseline: c.valueVsBaseline,
        spendWarning: c.spendWarning,
        calibrationIterations: c.calibrationIterations,
      })),
    },
    headline,
    runnerUp,
    timings,
    seconds: 0,
  };
  const report = await buildDataReport(result);
  result.seconds = (Date.now() - t0) / 1000;
  await writeFileAtomic(join(stage, "report.html"), report);
  await writeFileAtomic(join(stage, "report.json"), `${JSON.stringify(jsonSafe(result), null, 2)}\n`);
  await writeTable(
    join(stage, "assignment.csv"),
    Array.from(shipped, (a, i) => ({ unit_id: assignTable.unitIds[i]!, action: names[a]! })),
    { columns: ["unit_id", "action"], format: "csv" },
  );
  for (const f of RUN_OUTPUT_FILES) renameSync(join(stage, f), join(cfg.out, f));
  printSummary({
    out: cfg.out,
    report: join(cfg.out, "report.html"),
    config: cfg.file,
    units: n,
    assigned_units: assignedUnits,
    seconds: result.seconds,
    budget: cfg.budget,
    recommended,
    value_per_unit_dr: headline.perUnit.value,
    cost_per_unit_dr: headline.perUnit.cost,
    vs_baseline_value_per_unit: headline.vsBaseline.value,
  });
  return result;
}
