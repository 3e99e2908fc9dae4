import { reindexActions, writeFileAtomic } from "@cia/logging-schema";
import { readExperimentTable } from "@cia/table-io";
import type { ExperimentTable } from "@cia/logging-schema";
import { diagnoseUplift } from "@cia/uplift";
import type { UpliftDiagnostics } from "@cia/uplift";
import { guardPaths } from "../io/guard-paths.js";
import { usageError } from "../io/usage-error.js";
import { printSummary } from "../io/print-summary.js";
import { stageProgress } from "../io/progress-bar.js";
import type { CiaModel } from "@cia/model";
import { loadCiaModel, modelInputs } from "@cia/model";

export interface DiagnoseCommandOptions {
  model: string;
  data: string;
  out: string;
  bins: number;
}

/**
 * The evaluation stack of a model on a holdout table (calibration, ranking, stability, Qini/AUUC,
 * cost curve). `truth` (n x K effects, simulator only) adds every ground-truth counterpart.
 *
 * @example
 * const d = diagnoseTable(model, holdout, { bins: 10 });
 */
export function diagnoseTable(
  model: CiaModel,
  table: ExperimentTable,
  options: {
    bins?: number;
    truth?: { tauValue: Float64Array; tauCost?: Float64Array };
    propensityMatrix?: Float64Array;
  } = {},
): UpliftDiagnostics {
  const { matrix, segment } = modelInputs(model, table);
  return diagnoseUplift(
    model.uplift,
    {
      features: matrix,
      action: reindexActions(table, model.file.actions),
      value: table.value!,
      cost: model.file.training.has_cost ? table.cost : undefined,
      propensity: table.propensity!,
      propensityMatrix: options.propensityMatrix,
      segment,
      truth: options.truth,
    },
    { bins: options.bins ?? 10 },
  );
}

/**
 * `cia diagnose`: the methodology's evaluation stack on a holdout with logged propensities.
 *
 * @example
 * await diagnoseCommand({ model: "model.json", data: "holdout.csv", out: "diagnostics.json", bins: 10 });
 */
export async function diagnoseCommand(opts: DiagnoseCommandOptions): Promise<void> {
  guardPaths({ inputs: { "--model": opts.model, "--data": opts.data }, outputs: { "--out": opts.out } });
  const progress = stageProgress("diagnose", ["read the holdout", "diagnostics", "write"]);
  progress.next("read the holdout");
  const model = loadCiaModel(opts.model);
  const names = model.file.contract.features.map((f) => f.name);
  const seg = model.file.segment?.column;
  const require: ("action" | "propensity" | "value" | "cost")[] = ["action", "propensity", "value"];
  if (model.file.training.has_cost) require.push("cost");
  const table = await readExperimentTable(opts.data, {
    require,
    features: seg ? [...names, seg] : names,
    knownActions: model.file.actions,
  });
  progress.next("diagnostics (calibration, ranking, Qini, cost curve)");
  const d = diagnoseTable(model, table, { bins: opts.bins });
  // Finite values whose squares overflow (1e307) give infinite SEs that JSON would write as null.
  const overflow = infinitePath(d, "");
  if (overflow !== undefined)
    throw usageError(
      `${opts.data}: value/cost: the diagnostics overflow at ${overflow.slice(1)} (not a finite number): the value or cost column holds numbers too large to square; check its units`,
    );
  progress.next("write");
  await writeFileAtomic(opts.out, `${JSON.stringify(d, null, 2)}\n`);
  progress.done();
  printSummary({
    out: opts.out,
    n: d.n,
    calibration_slope_value: d.calibration.value.pooled.slope,
    calibration_slope_cost: d.calibration.cost?.pooled.slope ?? null,
    ranking_spearman: d.ranking?.spearman ?? null,
    ranking_inversions: d.ranking?.inversions ?? null,
    qini: Object.fromEntries(d.upliftScores.map((s) => [model.file.actions[s.action], s.qini])),
  });
}

/** The JSON path of the first +-Infinity in `x` (NaN is left alone: an empty bin is NaN by design). */
function infinitePath(x: unknown, path: string): string | undefined {
  if (typeof x === "number")
    return x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY ? path : undefined;
  if (x === null || typeof x !== "object") return undefined;
  if (ArrayBuffer.isView(x)) {
    const a = x as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++)
      if (Math.abs(a[i]!) === Number.POSITIVE_INFINITY) return `${path}[${i}]`;
    return undefined;
  }
  for (const [k, v] of Object.entries(x)) {
    const p = infinitePath(v, Array.isArray(x) ? `${path}[${k}]` : `${path}.${k}`);
    if (p !== undefined) return p;
  }
  return undefined;
}
