import { CiaError, DataValidationError } from "@cia/core";
import { reindexActions, writeFileAtomic } from "@cia/logging-schema";
import { readAssignmentColumnar, readExperimentTable } from "@cia/table-io";
import { ESTIMATOR_NAMES, evaluatePolicy } from "@cia/ope";
import type { PolicyEvaluation } from "@cia/ope";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { stageProgress } from "../io/progress-bar.js";
import { readPolicy } from "../io/policy-table.js";
import { loadCiaModel, scoreCiaModel } from "@cia/model";
import { rewardModel } from "../model/reward-model.js";
import { usageError } from "../io/usage-error.js";
import type { WarehouseFlags } from "./warehouse-commands.js";

export interface EvaluateCommandOptions extends WarehouseFlags {
  data: string;
  policy: string;
  model?: string;
  baseline: string;
  control: string;
  bootstraps: number;
  /** How resamples weight the rows (default auto: bagged from {@link BAGGED_FROM_ROWS} rows). */
  bootstrapScheme?: "auto" | "multinomial" | "bagged" | undefined;
  /** Bags of the bagged bootstrap (default 10,000 in process, 1,000 with --engine; at most one per row). */
  bags?: number | undefined;
  seed: string;
  out: string;
}

/** The file contract's view of an evaluation: `estimates.<name>.value/cost = { estimate, lower, upper }`. */
export function opeJson(ev: PolicyEvaluation): Record<string, unknown> {
  const estimates: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(ev.estimates)) {
    if (!e) continue;
    const pick = (x: { estimate: number; lower: number; upper: number; se: number } | undefined) =>
      x ? { estimate: x.estimate, lower: x.lower, upper: x.upper, se: x.se } : undefined;
    estimates[name] = {
      value: pick(e.value),
      cost: pick(e.cost),
      total_value: pick(e.totalValue),
      total_cost: pick(e.totalCost),
      incremental: e.incremental
        ? { value: pick(e.incremental.value), cost: pick(e.incremental.cost), cpiv: e.incremental.cpiv }
        : undefined,
      versus_baseline: e.versusBaseline
        ? {
            value: pick(e.versusBaseline.value),
            cost: pick(e.versusBaseline.cost),
            baseline_value: pick(e.versusBaseline.baselineValue),
            baseline_cost: pick(e.versusBaseline.baselineCost),
          }
        : undefined,
    };
  }
  return {
    n: ev.n,
    actions: ev.k,
    treatment: ev.treatment,
    interval: ev.interval,
    estimates,
    diagnostics: ev.diagnostics,
    notes: ev.notes,
  };
}

/**
 * `cia evaluate`: off-policy value and cost of an assignment on a logged randomized table, every
 * estimator with intervals, against a baseline (no offer by default), with weight diagnostics.
 *
 * @example
 * await evaluateCommand({ data: "holdout.csv", policy: "assignment.csv", baseline: "control", control: "control", bootstraps: 1000, seed: "1", out: "ope.json" });
 */
export async function evaluateCommand(opts: EvaluateCommandOptions): Promise<void> {
  // --engine: IPS, SNIPS and DR as SQL where the log lives (@cia/warehouse).
  if (opts.engine !== undefined)
    return (await import("./warehouse-commands.js")).warehouseEvaluateCommand(opts);
  if (opts.table !== undefined || opts.dsn !== undefined)
    throw usageError("--table and --dsn need --engine duckdb|postgres");
  if (opts.data === undefined) throw usageError("required option '--data <file>' not specified");
  guardPaths({
    inputs: {
      "--data": opts.data,
      "--policy": opts.policy,
      "--model": opts.model,
      "--baseline": opts.baseline === "control" ? undefined : opts.baseline,
    },
    outputs: { "--out": opts.out },
  });
  const progress = stageProgress("evaluate", ["read", "reward model", "estimators", "write"]);
  progress.next("read");
  const model = opts.model ? loadCiaModel(opts.model) : undefined;
  const control = model?.file.control ?? opts.control;
  const table = await readExperimentTable(opts.data, {
    require: ["action", "propensity", "value"],
    ...(model ? { knownActions: model.file.actions } : {}),
  });
  const logged = new Set(table.action!);
  const seen = table.actionNames!.filter((_, k) => logged.has(k));
  if (!seen.includes(control))
    throw new CiaError(
      "invalid_input",
      `${opts.data}: no row has the control action '${control}' (set --control NAME)`,
    );
  const actions = model?.file.actions ?? [
    control,
    ...seen.filter((a) => a !== control).sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
  ];
  const action = reindexActions(table, actions);
  // Parquet and plain CSV column by column; anything else (or a CSV with a problem) row by row.
  const target =
    (await readAssignmentColumnar(opts.policy, table.unitIds, actions)) ??
    (await readPolicy(opts.policy, table.unitIds, actions));
  const baseline =
    opts.baseline === "control" || opts.baseline === control
      ? "control"
      : ((await readAssignmentColumnar(opts.baseline, table.unitIds, actions)) ??
        (await readPolicy(opts.baseline, table.unitIds, actions)));
  // The model's features are checked against its contract as score and diagnose check them (a
  // missing column, an unseen category: exit 2 with file, line and field), not imputed silently.
  if (model) {
    const need = model.file.contract.features.map((f) => f.name);
    if (model.file.segment) need.push(model.file.segment.column);
    const missing = need.filter((f) => !table.featureNames.includes(f));
    if (missing.length > 0)
      throw new DataValidationError(
        missing.map((f) => ({
          code: "missing_column",
          path: [f],
          line: 1,
          message: `missing feature column '${f}' required by the model ${opts.model} (DM and DR need every feature)`,
        })),
        { file: opts.data },
      );
  }
  progress.next(
    model ? "reward model (cross-fitted m0 + the model's effects)" : "reward model (per-action means)",
  );
  const scored = model ? scoreCiaModel(model, table, { mode: "refuse" }) : undefined;
  const qHat = rewardModel(table, action, actions.length, model, scored);
  progress.next(
    opts.bootstraps > 0
      ? `estimators (${opts.bootstraps} bootstrap resamples)`
      : "estimators (normal intervals)",
  );
  const ev = evaluatePolicy(
    {
      k: actions.length,
      action,
      propensity: table.propensity!,
      value: table.value!,
      cost: table.cost,
      actionNames: actions,
    },
    {
      target,
      baseline,
      qHat,
      estimators: ESTIMATOR_NAMES,
      interval:
        opts.bootstraps > 0
          ? {
              method: "bootstrap",
              resamples: opts.bootstraps,
              seed: opts.seed,
              scheme: bootstrapScheme(opts.bootstrapScheme, action.length),
              ...(opts.bags !== undefined ? { bags: opts.bags } : {}),
            }
          : { method: "normal" },
    },
  );
  // An estimate that is not a number (weights or sums past the float range) is refused, never
  // written as null; extreme weights are warned about in the summary.
  for (const [name, e] of Object.entries(ev.estimates))
    for (const [head, est] of [
      ["value", e?.value],
      ["cost", e?.cost],
    ] as const)
      if (est && ![est.estimate, est.se, est.lower, est.upper].every(Number.isFinite))
        throw new CiaError(
          "invalid_input",
          `${opts.data}: ${head}: the ${name} estimate or its interval is not a finite number (weights up to ${ev.diagnostics.target.maxWeight} times ${head}s overflow): check the propensity and ${head} columns for extreme numbers`,
        );
  const weightWarning = extremeWeights(ev.diagnostics.target);
  if (weightWarning) process.stderr.write(`warning: ${opts.data}: ${weightWarning}\n`);
  progress.next("write");
  const json = opeJson(ev);
  await writeFileAtomic(
    opts.out,
    `${JSON.stringify({ policy: opts.policy, data: opts.data, ...json }, null, 2)}\n`,
  );
  progress.done();
  const brief: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(ev.estimates))
    if (e) brief[name] = { value: e.value.estimate, cost: e.cost?.estimate ?? null };
  printSummary({
    out: opts.out,
    n: ev.n,
    estimates: brief,
    ess: ev.diagnostics.target,
    ...(weightWarning ? { weight_warning: weightWarning } : {}),
  });
}

/**
 * From this many rows `--bootstrap-scheme auto` is the bagged bootstrap: a multinomial resample is
 * one pass over every row per resample and estimator (1,000 x 10M rows is hours here), the bagged
 * one a pass to sum rows per bag plus resamples x bags, with the same standard errors.
 */
export const BAGGED_FROM_ROWS = 1_000_000;

function bootstrapScheme(
  flag: EvaluateCommandOptions["bootstrapScheme"],
  n: number,
): "multinomial" | "bagged" {
  if (flag === "multinomial" || flag === "bagged") return flag;
  return n >= BAGGED_FROM_ROWS ? "bagged" : "multinomial";
}

/** Past this largest importance weight (1/propensity on a matched row) one row can swing the estimate. */
const MAX_WEIGHT_WARN = 1e4;
/** Below this effective-sample share the weighted estimates rest on a handful of rows. */
const MIN_ESS_SHARE_WARN = 0.01;

/** A warning for extreme importance weights (count of rows past the bound, the largest weight), or null. */
function extremeWeights(d: PolicyEvaluation["diagnostics"]["target"]): string | null {
  if (d.maxWeight <= MAX_WEIGHT_WARN && d.effectiveSampleShare >= MIN_ESS_SHARE_WARN) return null;
  return `extreme importance weights: max weight ${d.maxWeight.toPrecision(3)} (warn above ${MAX_WEIGHT_WARN}), effective sample ${d.effectiveSampleSize.toFixed(1)} of ${d.n} rows (${(100 * d.effectiveSampleShare).toPrecision(2)}%): IPS/SNIPS/DR rest on a few rows; check for tiny logged propensities`;
}
