import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRng, gatherRows } from "@cia/core";
import { averageEffects, sampleRatioMismatch } from "@cia/experiment";
import {
  buildExperimentTable,
  readExperimentTable,
  reindexActions,
  selectExperimentRows,
  writeDecisions,
  writeFileAtomic,
  writeOutcomeEvents,
  writeTable,
} from "@cia/logging-schema";
import type { Decision, ExperimentTable, OutcomeEvent } from "@cia/logging-schema";
import { evaluatePolicy, fitRewardModel } from "@cia/ope";
import { experimentTableColumns, inactivityHeuristic, logRecords, oracleAllocation } from "@cia/simulator";
import { printSummary } from "../io/print-summary.js";
import { terminalProgress } from "../io/progress-bar.js";
import type { BaseKind } from "@cia/model";
import { modelInputs, scoreCiaModel, sealCiaModelFile, trainCiaModel } from "@cia/model";
import { catalogueAttributes } from "@cia/uplift";
import type { CiaModelFile, TrainOptions } from "@cia/model";
import { rewardModel } from "../model/reward-model.js";
import { buildRunReport } from "../run/run-report.js";
import { jsonSafe } from "../run/json-safe.js";
import { buildHeadline } from "../run/headline.js";
import { evaluateOnSets } from "../run/evaluate-on-sets.js";
import { qiniCurves } from "../run/qini-curves.js";
import { loadRunConfig } from "../config/load-run-config.js";
import { runOnData } from "../run/data-run.js";
import type { DataRunResult } from "../run/data-run-result.js";
import { usageError } from "../io/usage-error.js";
import type { PolicyResult, RunResult } from "../run/run-result.js";
import { optimizerPolicy, policyMatrix, treatAll, trueIncrement, upliftRanking } from "../run/policies.js";
import { simulatePacing } from "../run/pacing-simulation.js";
import { crossFitScores, fitPooledHeads, scoreVariants } from "../run/decision-inputs.js";
import { decidePolicies } from "../run/decision-stage.js";
import type { CandidateRule, EvaluationSet } from "../run/decision-stage.js";
import { diagnoseTable } from "./diagnose.js";
import { explorationProbabilities } from "./exploration-design.js";
import { guardPaths } from "../io/guard-paths.js";
import { worldByName } from "./simulate.js";

/**
 * `cia run` from the command line: `--config FILE` runs on the user's data (flags the user typed
 * override the config's keys: --budget, --out, --seed, --bootstraps, --ope-bootstraps, --sample),
 * otherwise the simulated demo on `--world`.
 *
 * @example
 * await runCliCommand({ config: "cia.config.json", budget: 500 }, cmd);
 */
export async function runCliCommand(
  opts: RunCommandOptions & {
    config?: string;
    budget?: number;
    sample?: number;
    opeBootstraps?: number;
  },
  cmd?: { getOptionValueSource(key: string): string | undefined },
): Promise<RunResult | DataRunResult> {
  if (opts.config === undefined) {
    if (opts.budget !== undefined || opts.sample !== undefined || opts.opeBootstraps !== undefined)
      throw usageError(
        "--budget, --sample and --ope-bootstraps apply to --config runs (the simulated run sets its own budget)",
      );
    return runCommand(opts);
  }
  // Only flags the user typed override the config (commander fills in defaults for the others).
  const typed = (key: string) => (cmd ? cmd.getOptionValueSource(key) === "cli" : true);
  for (const [key, flag] of [
    ["world", "--world"],
    ["units", "--units"],
    ["pacingDays", "--pacing-days"],
  ] as const)
    if (cmd && typed(key))
      throw usageError(`${flag} is for the simulated run; with --config the data come from ${opts.config}`);
  const config = loadRunConfig(opts.config, {
    budget: opts.budget,
    out: typed("out") ? opts.out : undefined,
    seed: typed("seed") ? opts.seed : undefined,
    bootstraps: typed("bootstraps") ? opts.bootstraps : undefined,
    base: typed("base") ? opts.base : undefined,
    opeBootstraps: opts.opeBootstraps,
    sample: opts.sample,
  });
  return runOnData(config, { quiet: opts.quiet });
}

export interface RunCommandOptions {
  world: string;
  units?: number;
  seed: string;
  out: string;
  quiet?: boolean;
  bootstraps?: number;
  pacingDays?: number;
  base?: BaseKind;
}

/**
 * `cia run`: the whole loop on a simulated world, end to end, with a self-contained report.
 * Identify (a warm-start randomized experiment, its counterfactual log, labels from events),
 * learn (X-learner value and cost heads with bootstraps, diagnostics on a holdout), decide
 * (heuristic, treat-all, uplift ranking and the optimizer at the heuristic's spend), validate
 * (OPE of every candidate on the holdout log against the simulator's truth), and pace a period.
 *
 * @example
 * await runCommand({ world: "default", seed: "1", out: "out/run" });
 */
export async function runCommand(opts: RunCommandOptions): Promise<RunResult> {
  const t0 = Date.now();
  const world = worldByName(opts.world);
  const names = world.actions.map((a) => a.name);
  guardPaths({ outputs: {}, dirs: { "--out": opts.out } });
  mkdirSync(opts.out, { recursive: true });
  const timings: Record<string, number> = {};
  const ctx: RunContext = {
    opts,
    world,
    k: world.actions.length,
    names,
    n: opts.units ?? 30_000,
    seed: opts.seed,
    progress: terminalProgress({ quiet: opts.quiet ?? false }),
    lap: (name, since) => {
      timings[name] = (Date.now() - since) / 1000;
    },
  };
  const id = await identifyStage(ctx);
  const learned = learnStage(ctx, id);
  const heads = await decisionHeadsStage(ctx, id, learned);
  const diag = diagnoseStage(ctx, id, learned);
  const decided = decideStage(ctx, id, learned, heads, diag);
  const policies = validateStage(ctx, learned, diag, decided);
  const { frontier, pacing } = frontierAndPacingStage(ctx, id, learned, diag, decided);
  return writeRunOutputs(ctx, { t0, timings, id, learned, diag, decided, policies, frontier, pacing });
}

/** What every stage of `cia run` reads: the options, the world and the shared helpers. */
interface RunContext {
  readonly opts: RunCommandOptions;
  readonly world: ReturnType<typeof worldByName>;
  readonly k: number;
  readonly names: string[];
  readonly n: number;
  readonly seed: string;
  readonly progress: ReturnType<typeof terminalProgress>;
  readonly lap: (name: string, since: number) => void;
}

/** 1. Identify: the warm-start randomized experiment, its counterfactual log, labels from events, randomization checks. */
async function identifyStage(ctx: RunContext) {
  const { opts, world, k, names, n, seed, progress, lap } = ctx;
  // 1. Identify: warm-start randomized experiment, counterfactual log, labels from events.
  const s = Date.now();
  progress.start("experiment and logs");
  const pop = world.sampleUnits(n, { seed: `${seed}/units` });
  const probs = explorationProbabilities(world, pop, "warm-start");
  const log = world.log(pop, probs, { seed: `${seed}/log` });
  const rec = logRecords(world, pop, log, { design: "warm_start", policyId: "explore-warm-start" });
  const decisions: Decision[] = Array.from(rec.decisions) as Decision[];
  const outcomes: OutcomeEvent[] = Array.from(rec.outcomes) as OutcomeEvent[];
  await writeDecisions(join(opts.out, "decisions.jsonl"), decisions);
  await writeOutcomeEvents(join(opts.out, "outcomes.jsonl"), outcomes);
  let latest = 0;
  for (const d of decisions) latest = Math.max(latest, Date.parse(d.decision_time));
  const asOf = new Date(latest + log.horizonDays * 86_400_000 + 1).toISOString();
  const labels = buildExperimentTable(decisions, outcomes, { horizonDays: log.horizonDays, asOf });
  const tableFile = join(opts.out, "table.csv");
  await writeTable(tableFile, labels.rows, { columns: experimentTableColumns(pop) });
  const table = await readExperimentTable(tableFile, {
    require: ["action", "propensity", "value", "cost"],
    knownActions: names,
  });
  progress.finish();
  lap("identify", s);

  // Randomization checks: sample ratio against the design, per-action effects (Hajek).
  const actionIdx = reindexActions(table, names);
  const expected = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) expected[a]! += probs[i * k + a]!;
  const srm = sampleRatioMismatch({ observed: countsOf(actionIdx, k), expected });
  const effects = averageEffects({
    action: actionIdx,
    propensity: table.propensity!,
    value: table.value!,
    cost: table.cost!,
    actions: names,
  });

  return { pop, probs, log, decisions, outcomes, asOf, labels, tableFile, table, srm, effects };
}
type Identified = Awaited<ReturnType<typeof identifyStage>>;

/** 2. Learn: the 70/30 split and the X-learner with value and cost heads on the training rows. */
function learnStage(ctx: RunContext, id: Identified) {
  const { opts, k, names, n, seed, progress, lap } = ctx;
  const { probs, table, tableFile } = id;
  // 2. Learn on 70% of the experiment; the other 30% is the holdout for diagnostics and OPE.
  const s = Date.now();
  const order = createRng(`${seed}/split`).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const nTrain = Math.round(n * 0.7);
  const trainRows = Int32Array.from(order.subarray(0, nTrain)).sort();
  const holdRows = Int32Array.from(order.subarray(nTrain)).sort();
  const train = selectExperimentRows(table, trainRows, `${tableFile} (train)`);
  const hold = selectExperimentRows(table, holdRows, `${tableFile} (holdout)`);
  const trainProbs = gatherRows(probs, trainRows, k);
  const holdProbs = gatherRows(probs, holdRows, k);
  const bootstraps = opts.bootstraps ?? 4;
  const trainOptions: TrainOptions = {
    learner: "x",
    base: opts.base ?? "gbdt",
    bootstraps,
    propensity: "logged",
    actionProbabilities: trainProbs,
    actions: names,
    control: names[0]!,
    cost: true,
    seed,
    progress,
  };
  const model = trainCiaModel(train, trainOptions);
  lap("learn", s);

  return { nTrain, trainRows, holdRows, train, hold, trainProbs, holdProbs, bootstraps, trainOptions, model };
}
type Learned = ReturnType<typeof learnStage>;

/** The decision layer's heads, fitted and cross-fitted on the training rows; writes model.json. */
async function decisionHeadsStage(ctx: RunContext, id: Identified, learned: Learned) {
  const { opts, world, names, seed, progress, lap } = ctx;
  const { decisions, outcomes, asOf } = id;
  const { train, model, trainOptions, bootstraps } = learned;
  // The decision layer's heads (issue 16): a pooled value head in which the offers' catalogue
  // attributes are features, the same head on a shorter-horizon proxy label, and a cost head shaped
  // as incentive cost arises (non-negative, zero under no offer), fitted on the training rows; then
  // the same fits cross-fitted, so every training row also gets scores from models that never saw it.
  const s = Date.now();
  progress.start("decision layer: pooled heads and cross-fitting");
  const attributes = catalogueAttributes(world.actions);
  const shortLabels = buildExperimentTable(decisions, outcomes, {
    horizonDays: world.params.shortWindowDays,
    asOf,
  });
  const shortByUnit = new Map<string, number>();
  for (const r of shortLabels.rows) shortByUnit.set(r.unit_id, r.value);
  const trainProxy = Float64Array.from(train.unitIds, (u) => shortByUnit.get(u) ?? Number.NaN);
  const proxy = trainProxy.every(Number.isFinite) ? trainProxy : null;
  const trainAction = reindexActions(train, names);
  const trainMatrix = modelInputs(model, train).matrix;
  const pooled = fitPooledHeads(trainMatrix, trainAction, train, attributes, proxy, 1);
  const outOfFold = crossFitScores(train, trainMatrix, trainAction, trainOptions, model, attributes, proxy, {
    folds: 3,
    bootstraps: Math.min(2, bootstraps),
    seed,
  });
  progress.finish();
  lap("decision heads", s);
  await writeFileAtomic(
    join(opts.out, "model.json"),
    JSON.stringify(
      sealCiaModelFile({
        ...model.file,
        decision_heads: {
          action_attributes: attributes,
          value: pooled.value.toJSON(),
          proxy: pooled.proxy?.toJSON() ?? null,
          cost: pooled.cost.toJSON(),
        },
      } satisfies CiaModelFile),
    ),
  );

  return { attributes, proxy, trainAction, pooled, outOfFold };
}
type DecisionHeads = Awaited<ReturnType<typeof decisionHeadsStage>>;

/** Diagnostics on the holdout against the truth, and the holdout's scores. */
function diagnoseStage(ctx: RunContext, id: Identified, learned: Learned) {
  const { world, k, progress, lap } = ctx;
  const { pop } = id;
  const { holdRows, hold, holdProbs, model } = learned;
  // Diagnostics on the holdout, with the truth.
  const s = Date.now();
  progress.start("diagnostics");
  const truthAll = world.truth(pop);
  const hTauV = gatherRows(truthAll.tauValue, holdRows, k);
  const hTauC = gatherRows(truthAll.tauCost, holdRows, k);
  const diagnostics = diagnoseTable(model, hold, {
    bins: 10,
    truth: { tauValue: hTauV, tauCost: hTauC },
    propensityMatrix: holdProbs,
  });
  const scored = scoreCiaModel(model, hold, { propensity: holdProbs });
  const { prediction } = scored;
  progress.finish();
  lap("diagnose", s);

  return { hTauV, hTauC, diagnostics, scored, prediction };
}
type Diagnosed = ReturnType<typeof diagnoseStage>;

/** 3. Decide: the candidate policies at the heuristic's true spend, and the decision layer's recommendation. */
function decideStage(
  ctx: RunContext,
  id: Identified,
  learned: Learned,
  heads: DecisionHeads,
  diag: Diagnosed,
) {
  const { world, k, names, lap } = ctx;
  const { pop } = id;
  const { holdRows, trainRows, hold, train, holdProbs, trainProbs, model } = learned;
  const { pooled, outOfFold, trainAction, proxy } = heads;
  const { hTauV, hTauC, prediction, scored } = diag;
  // 3. Decide: candidate policies on the holdout units, at the heuristic's true spend.
  const s = Date.now();
  const hn = holdRows.length;
  const daysInactive = Float64Array.from(holdRows, (r) => pop.daysInactive[r]!);
  const fixedOffer = Math.min(3, k - 1);
  const heuristic = inactivityHeuristic(
    { ...pop, n: hn, daysInactive },
    { minDaysInactive: 30, action: fixedOffer },
  );
  const heuristicTrue = trueIncrement(heuristic, hTauV, hTauC, k);
  const budget = Math.max(heuristicTrue.cost, 1e-9);
  const tv = prediction.tauValue;
  const tc = prediction.tauCost!;
  const optimizer = optimizerPolicy(tv, tc, k, budget);
  const riskAware = prediction.intervals
    ? optimizerPolicy(tv, tc, k, budget, prediction.intervals.tauValueLower)
    : undefined;
  const candidates: { name: string; actions: Int32Array; note: string }[] = [
    { name: "heuristic", actions: heuristic, note: `inactive >= 30 days -> ${names[fixedOffer]}` },
    { name: "treat-all", actions: treatAll(hn, fixedOffer), note: `everyone gets ${names[fixedOffer]}` },
    {
      name: "uplift ranking",
      actions: upliftRanking(tv, tc, k, budget),
      note: "best predicted value lift first, until predicted spend = budget",
    },
    {
      name: "optimizer",
      actions: optimizer.action,
      note: "max predicted value under the budget (hull greedy)",
    },
  ];
  if (riskAware)
    candidates.push({
      name: "optimizer (risk-aware)",
      actions: riskAware.action,
      note: "allocates on the bootstrap lower bound of value",
    });
  const oracle = oracleAllocation(hTauV, hTauC, hn, k, budget);

  // The decision layer: candidate rules decided on the holdout and on the out-of-fold training
  // rows, each one's handed budget calibrated until the DR estimate of TRUE spend meets the budget
  // (its upper bound: a budget met with confidence), the recommendation chosen by the lower bound
  // of the paired DR value difference against the heuristic, with the heuristic as the fallback.
  const holdAction = reindexActions(hold, names);
  const holdMatrix = scored.inputs.matrix;
  const holdScores = scoreVariants({ tauValue: tv, tauCost: tc }, pooled, holdMatrix);
  const qDecision = fitRewardModel(
    {
      features: holdMatrix,
      action: holdAction,
      k,
      outcomes: { value: hold.value!, cost: hold.cost },
      tau: { value: tv, cost: holdScores.honestCost!.tauCost },
      propensity: hold.propensity,
    },
    { base: model.file.settings.base },
  );
  const trainHeuristic = inactivityHeuristic(
    { ...pop, n: trainRows.length, daysInactive: Float64Array.from(trainRows, (r) => pop.daysInactive[r]!) },
    { minDaysInactive: 30, action: fixedOffer },
  );
  const sets: EvaluationSet[] = [
    {
      name: "holdout",
      n: hn,
      action: holdAction,
      propensity: hold.propensity!,
      loggingProbabilities: holdProbs,
      value: hold.value!,
      cost: hold.cost!,
      baseline: heuristic,
      qValue: qDecision.value,
      qCost: qDecision.cost!,
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
      baseline: trainHeuristic,
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
  ];
  if (proxy)
    rules.push({
      name: "cia (pooled offers, short proxy)",
      scores: "proxy",
      note: `pooled value head on the ${world.params.shortWindowDays}-day proxy label, pooled cost head, budget calibrated`,
    });
  const decision = decidePolicies(
    sets,
    [...rules, { name: "optimizer", scores: "plugin", calibrate: false, note: "today's plug-in optimizer" }],
    {
      k,
      budgetPerUnit: budget / hn,
      baselineName: "heuristic",
      criterion: "upper",
      level: 0.8,
      spendLevel: 0.8,
    },
  );
  for (const rule of rules) {
    const d = decision.candidates.find((c) => c.name === rule.name)!;
    candidates.push({ name: rule.name, actions: d.actions[0]!, note: rule.note });
  }
  lap("decide", s);

  return {
    hn,
    heuristic,
    heuristicTrue,
    budget,
    tv,
    tc,
    candidates,
    oracle,
    holdAction,
    decision,
    sets,
    fixedOffer,
  };
}
type Decided = ReturnType<typeof decideStage>;

/** 4. Validate: OPE of every candidate on the holdout log, against the truth (the online test). */
function validateStage(ctx: RunContext, learned: Learned, diag: Diagnosed, decided: Decided): PolicyResult[] {
  const { k, names, seed, progress, lap } = ctx;
  const { hold, holdProbs, model } = learned;
  const { hTauV, hTauC, scored } = diag;
  const { hn, tv, tc, candidates, holdAction } = decided;
  // 4. Validate: OPE of each candidate on the holdout log, against the truth (the online test).
  const s = Date.now();
  progress.start("off-policy evaluation", candidates.length);
  const qHat = rewardModel(hold, holdAction, k, model, scored);
  const policies: PolicyResult[] = [];
  for (const c of candidates) {
    const ev = evaluatePolicy(
      {
        k,
        action: holdAction,
        propensity: hold.propensity!,
        value: hold.value!,
        cost: hold.cost!,
        loggingProbabilities: holdProbs,
        actionNames: names,
      },
      {
        target: policyMatrix(c.actions, k),
        baseline: "control",
        qHat,
        estimators: ["ips", "snips", "dm", "dr"],
        interval: { method: "bootstrap", resamples: 500, seed: `${seed}/ope/${c.name}` },
      },
    );
    const truth = trueIncrement(c.actions, hTauV, hTauC, k);
    const predicted = trueIncrement(c.actions, tv, tc, k);
    policies.push({
      name: c.name,
      note: c.note,
      treated: truth.treated,
      trueValue: truth.value / hn,
      trueCost: truth.cost / hn,
      predictedValue: predicted.value / hn,
      predictedCost: predicted.cost / hn,
      ope: ev,
    });
    progress.advance();
  }
  progress.finish();
  lap("validate", s);

  return policies;
}

/** The value-versus-spend frontier (optimizer and oracle across budgets) and a paced period. */
function frontierAndPacingStage(
  ctx: RunContext,
  id: Identified,
  learned: Learned,
  diag: Diagnosed,
  decided: Decided,
) {
  const { opts, world, k, n, seed, progress, lap } = ctx;
  const { log } = id;
  const { holdRows, model } = learned;
  const { hTauV, hTauC } = diag;
  const { hn, heuristicTrue, budget, tv, tc, holdAction } = decided;
  // The value-versus-spend frontier: optimizer and oracle across budgets, true values.
  const s = Date.now();
  const frontier: {
    budgetShare: number;
    optimizerValue: number;
    optimizerCost: number;
    oracleValue: number;
    oracleCost: number;
  }[] = [];
  for (const share of [0.1, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3]) {
    const b = budget * share;
    const o = optimizerPolicy(tv, tc, k, b);
    const t = trueIncrement(o.action, hTauV, hTauC, k);
    const or = oracleAllocation(hTauV, hTauC, hn, k, b);
    frontier.push({
      budgetShare: share,
      optimizerValue: t.value / hn,
      optimizerCost: t.cost / hn,
      oracleValue: or.value / hn,
      oracleCost: or.cost / hn,
    });
  }

  // Pacing a period with the model's cost head.
  progress.start("pacing simulation");
  const pacingDays = opts.pacingDays ?? 14;
  const unitsPerDay = Math.max(200, Math.round(n / 20));
  const scorer = (p: import("@cia/simulator").Population) => {
    const cohort = populationTable(p);
    const pr = scoreCiaModel(model, cohort).prediction;
    return { tauValue: pr.tauValue, tauCost: pr.tauCost! };
  };
  const pacingBudget = (heuristicTrue.cost / hn) * unitsPerDay * pacingDays;
  // The experiment's holdout offers are the pacer's history: assigned before the period (spread
  // over the 6 weeks before day 0, so they have matured), with the model's predicted cost and the
  // logged redemption lag and amount.
  const history = {
    assignedAt: [] as number[],
    predictedCost: [] as number[],
    redeemedAt: [] as number[],
    realizedCost: [] as number[],
  };
  for (let i = 0; i < hn; i++) {
    const a = holdAction[i]!;
    if (a === 0) continue;
    const r = holdRows[i]!;
    const at = -42 + (28 * i) / hn;
    const lag = log.redemptionLagDays[r]!;
    const redeemed = log.cost[r]! > 0 && Number.isFinite(lag);
    history.assignedAt.push(at);
    history.predictedCost.push(Math.max(0, tc[i * k + a]!));
    history.redeemedAt.push(redeemed ? at + lag : Number.NaN);
    history.realizedCost.push(redeemed ? log.cost[r]! : 0);
  }
  const pacing = simulatePacing(world, scorer, {
    history,
    days: pacingDays,
    unitsPerDay,
    budget: pacingBudget,
    horizonDays: 14,
    seed,
  });
  progress.finish();
  lap("frontier and pacing", s);

  return { frontier, pacing: { days: pacingDays, unitsPerDay, budget: pacingBudget, paths: pacing } };
}

/** The result object, report.html, report.json, assignment.csv and the summary line. */
async function writeRunOutputs(
  ctx: RunContext,
  r: {
    t0: number;
    timings: Record<string, number>;
    id: Identified;
    learned: Learned;
    diag: Diagnosed;
    decided: Decided;
    policies: PolicyResult[];
    frontier: RunResult["frontier"];
    pacing: RunResult["pacing"];
  },
): Promise<RunResult> {
  const { opts, world, names, n, seed } = ctx;
  const { t0, timings, policies, frontier } = r;
  const { labels, srm, effects } = r.id;
  const { nTrain, hold, bootstraps, model } = r.learned;
  const { diagnostics } = r.diag;
  const { hn, budget, candidates, oracle, decision } = r.decided;
  const pacing = r.pacing.paths;
  const result: RunResult = {
    world: world.name,
    seed,
    units: n,
    trainUnits: nTrain,
    holdoutUnits: hn,
    actions: names,
    labels: labels.report,
    srm,
    effects,
    model: {
      learner: "x",
      base: opts.base ?? "gbdt",
      bootstraps,
      contractHash: model.file.contract_hash,
      propensity: model.uplift.propensityReport,
    },
    diagnostics,
    budget: budget / hn,
    policies,
    oracle: { value: oracle.value / hn, cost: oracle.cost / hn },
    frontier,
    recommended: decision.selection.recommended,
    decision: {
      recommended: decision.selection.recommended,
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
    pacing: r.pacing,
    timings,
    seconds: 0,
  };
  // The shipped assignment is the recommended policy's (the heuristic when none beat it).
  const shipped = candidates.find((c) => c.name === decision.selection.recommended)!.actions;
  // The headline: the recommendation on the evidence it was chosen on (both evaluation sets,
  // paired against the heuristic at the decision's level), and who gets what in assignment.csv.
  const recDecided = decision.candidates.find((c) => c.name === decision.selection.recommended);
  const recCandidate = candidates.find((c) => c.name === decision.selection.recommended)!;
  result.headline = buildHeadline({
    recommended: result.recommended,
    rule:
      recCandidate.name === "heuristic"
        ? `Keep the heuristic: ${recCandidate.note}`
        : `Model-targeted (${recCandidate.note}): each unit gets the offer with the most predicted incremental value for its cost, best first, until the budget (${result.budget.toFixed(3)} per unit, the heuristic's spend) is spent`,
    baseline: "heuristic",
    evaluation: evaluateOnSets(
      r.decided.sets,
      recDecided ? recDecided.actions : r.decided.sets.map((x) => x.baseline),
      ctx.k,
      { method: "normal", level: decision.level },
    ),
    assignment: shipped,
    actions: names,
    evaluatedOn: `holdout plus the training rows scored out of fold (${decision.units.toLocaleString("en-US")} logged units, each scored by models that never saw it)`,
  });
  result.qini = qiniCurves({
    action: r.decided.holdAction,
    value: hold.value!,
    tauValue: r.decided.tv,
    k: ctx.k,
    names,
  });
  const report = await buildRunReport(result);
  result.seconds = (Date.now() - t0) / 1000;
  await writeFileAtomic(join(opts.out, "report.html"), report);
  await writeFileAtomic(join(opts.out, "report.json"), `${JSON.stringify(jsonSafe(result), null, 2)}\n`);
  await writeTable(
    join(opts.out, "assignment.csv"),
    Array.from(shipped, (a, i) => ({ unit_id: hold.unitIds[i]!, action: names[a]! })),
    { columns: ["unit_id", "action"], format: "csv" },
  );
  const byName = Object.fromEntries(
    policies.map((p) => [
      p.name,
      {
        true_value: p.trueValue,
        true_cost: p.trueCost,
        dr: p.ope.estimates.dr?.incremental?.value.estimate ?? null,
      },
    ]),
  );
  printSummary({
    out: opts.out,
    report: join(opts.out, "report.html"),
    world: world.name,
    units: n,
    seconds: result.seconds,
    budget_per_unit: result.budget,
    policies: byName,
    oracle_value: result.oracle.value,
    recommended: result.recommended,
    pacing_error: { cia: pacing[0]!.relativeError, naive: pacing[1]!.relativeError },
  });
  return result;
}

function countsOf(action: Int32Array, k: number): Float64Array {
  const c = new Float64Array(k);
  for (const a of action) c[a]!++;
  return c;
}

/** A simulator population as a scoring table (features as raw values, categoricals as levels). */
function populationTable(p: import("@cia/simulator").Population): ExperimentTable {
  const features: Record<string, (number | string | null)[]> = {};
  const cols = p.features.cols;
  p.featureNames.forEach((f, j) => {
    const levels = p.categorical[f];
    const col: (number | string | null)[] = new Array(p.n);
    for (let i = 0; i < p.n; i++) {
      const v = p.features.data[i * cols + j]!;
      col[i] = levels ? (levels[v] ?? null) : v;
    }
    features[f] = col;
  });
  return {
    file: "cohort",
    n: p.n,
    lines: new Int32Array(p.n),
    unitIds: [...p.unitIds],
    featureNames: [...p.featureNames],
    features,
  };
}
