import { CiaError, type DataIssue, type ProgressReporter, noopProgress } from "@cia/core";
import {
  applyFeatureContract,
  featureContractHash,
  featureRows,
  inferFeatureContract,
} from "@cia/logging-schema";
import type { ExperimentTable, FeatureContract, FeatureMatrix } from "@cia/logging-schema";
import { fitUplift } from "@cia/uplift";
import type { PooledEffectHead } from "@cia/uplift";
import type {
  MetaLearnerKind,
  PooledEffectHeadJson,
  UpliftModel,
  UpliftModelJson,
  UpliftPrediction,
} from "@cia/uplift";
import type { ModelErrorCode } from "./error-codes.js";
import { type BaseKind, headOptions } from "./base-learners.js";
import { sealCiaModelFile } from "./cia-model-checksum.js";

/** A model error with its typed code (`usage` errors exit the CLI with 2, like bad input). */
function modelError(code: ModelErrorCode, message: string): CiaError<ModelErrorCode> {
  return new CiaError<ModelErrorCode>(code, message);
}
const usageError = (message: string) => modelError("usage", message);

/** The one JSON file `cia train` writes and `cia score` / `diagnose` / `evaluate` load. */
export interface CiaModelFile {
  format: "cia-model";
  version: 1;
  control: string;
  /** Action names, index 0 = control. */
  actions: string[];
  /** The feature contract and its hash: `score` refuses data that does not satisfy it. */
  contract: FeatureContract;
  contract_hash: string;
  /** Column whose values select lifecycle-specific models, and its levels (code = index). */
  segment: { column: string; levels: string[] } | null;
  settings: {
    learner: MetaLearnerKind;
    base: BaseKind;
    bootstraps: number;
    propensity: "column" | "estimate" | "logged";
    seed: string;
  };
  training: { rows: number; per_action: Record<string, number>; has_cost: boolean };
  uplift: UpliftModelJson;
  /**
   * The decision layer's pooled heads (written by `cia run`): the catalogue attributes they read,
   * the pooled value head, its short-horizon proxy twin, and the pooled cost head.
   */
  decision_heads?: {
    action_attributes: number[][];
    value: PooledEffectHeadJson;
    proxy: PooledEffectHeadJson | null;
    cost: PooledEffectHeadJson;
  };
  /**
   * `sha256:` + hex sha256 of the canonical JSON of every other field (`ciaModelChecksum`),
   * written by `sealCiaModelFile`; the loader refuses a file whose content no longer matches it.
   */
  checksum?: string;
}

/** A loaded model: the file plus the live uplift model (and the decision heads when the file has them). */
export interface CiaModel {
  file: CiaModelFile;
  uplift: UpliftModel;
  /** The pooled heads of `file.decision_heads`, loaded and validated (absent when the file has none). */
  decisionHeads?: {
    actionAttributes: number[][];
    value: PooledEffectHead;
    proxy: PooledEffectHead | null;
    cost: PooledEffectHead;
  };
}

export interface TrainOptions {
  learner: MetaLearnerKind;
  base: BaseKind;
  bootstraps: number;
  /** `column`: the logged propensity column is checked and used by diagnostics, and the
   * X/DR weights are estimated; `estimate`: no propensity column needed; `logged`: the full
   * design distribution is passed in memory (`actionProbabilities`). */
  propensity: "column" | "estimate" | "logged";
  control: string;
  cost: boolean;
  contract?: FeatureContract;
  segment?: string;
  seed: string;
  /** n x K design probabilities, for `propensity: "logged"`. */
  actionProbabilities?: Float64Array;
  /** Force the action list (index 0 = control); default control then the others sorted. */
  actions?: string[];
  progress?: ProgressReporter;
}

function seedNumber(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * Train the value and cost heads on an experiment table through the feature contract (inferred
 * from the training rows unless given) and return the model file, sealed with its checksum
 * (`sealCiaModelFile` again after adding sections to it).
 *
 * @example
 * const model = trainCiaModel(table, { learner: "x", base: "gbdt", bootstraps: 10, propensity: "column", control: "control", cost: true, seed: "1" });
 */
export function trainCiaModel(table: ExperimentTable, opts: TrainOptions): CiaModel {
  if (!table.action || !table.actionNames || !table.value)
    throw usageError(`${table.file}: training needs 'action' and 'value' columns`);
  if (opts.cost && !table.cost)
    throw usageError(`${table.file}: no 'cost' column (pass --no-cost to train the value head only)`);
  if (opts.propensity === "column" && !table.propensity) {
    throw usageError(
      `${table.file}: no 'propensity' column (pass --propensity estimate for data without logged propensities)`,
    );
  }
  const names = table.actionNames;
  // Names in order of first appearance in the rows (a Set of the indices keeps that order).
  const seen = new Set(Array.from(new Set(table.action), (k) => names[k]!));
  if (!seen.has(opts.control))
    throw usageError(`${table.file}: no row has the control action '${opts.control}' (set --control NAME)`);
  const actions = opts.actions ?? [
    opts.control,
    ...[...seen]
      .filter((a) => a !== opts.control)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
  ];
  const index = new Map(actions.map((a, k) => [a, k]));
  const to = names.map((a) => index.get(a));
  const action = new Int32Array(table.n);
  for (let i = 0; i < table.n; i++) {
    const k = to[table.action[i]!];
    if (k === undefined)
      throw modelError(
        "invalid_input",
        `${table.file}:${table.lines[i]}: action: unknown action '${names[table.action[i]!]}'`,
      );
    action[i] = k;
  }
  const featureNames = table.featureNames.filter((f) => f !== opts.segment);
  const rows = featureRows(table, featureNames);
  const contract = opts.contract ?? inferFeatureContract(rows, featureNames, { name: "cia-train" });
  const { matrix } = applyFeatureContract(contract, rows, {
    file: table.file,
    lines: table.lines,
    extraColumns: "ignore",
  });
  let segment: CiaModelFile["segment"] = null;
  let segmentCodes: Int32Array | undefined;
  if (opts.segment) {
    const col = table.features[opts.segment];
    if (!col) throw usageError(`${table.file}: --segment column '${opts.segment}' is not in the table`);
    const levels = [...new Set(col.map((v) => String(v)))].sort();
    segment = { column: opts.segment, levels };
    segmentCodes = Int32Array.from(col, (v) => levels.indexOf(String(v)));
  }
  const seed = seedNumber(opts.seed);
  const heads = headOptions(opts.base, seed, table.n);
  const model = fitUplift(
    {
      features: matrix,
      action,
      value: table.value,
      cost: opts.cost ? table.cost : undefined,
      nActions: actions.length,
      propensity: opts.propensity === "logged" ? opts.actionProbabilities : undefined,
      segment: segmentCodes,
    },
    {
      learner: opts.learner,
      value: heads.value,
      cost: opts.cost ? heads.cost : undefined,
      propensity:
        opts.propensity === "logged"
          ? { source: "logged" }
          : { source: "estimate", classifier: heads.classifier },
      bootstrap: opts.bootstraps > 0 ? { resamples: opts.bootstraps } : undefined,
      segments: segmentCodes ? { names: segment!.levels } : undefined,
      actionNames: actions,
      featureNames: featureNames,
      seed,
      progress: opts.progress ?? noopProgress,
    },
  );
  const perAction: Record<string, number> = {};
  for (const k of table.action) {
    const a = names[k]!;
    perAction[a] = (perAction[a] ?? 0) + 1;
  }
  const file: CiaModelFile = sealCiaModelFile({
    format: "cia-model",
    version: 1,
    control: opts.control,
    actions,
    contract,
    contract_hash: featureContractHash(contract),
    segment,
    settings: {
      learner: opts.learner,
      base: opts.base,
      bootstraps: opts.bootstraps,
      propensity: opts.propensity,
      seed: opts.seed,
    },
    training: { rows: table.n, per_action: perAction, has_cost: opts.cost },
    uplift: model.toJSON(),
  });
  return { file, uplift: model };
}

/**
 * A table's features as the model's matrix: validated against the feature contract (missing or
 * extra columns, types, unseen categories, ranges; refused or reported) and transformed by the
 * same function as at training time, plus the lifecycle segment codes for a segmented model.
 *
 * @example
 * const { matrix, segment } = modelInputs(model, table, { mode: "refuse" });
 */
export function modelInputs(
  model: CiaModel,
  table: ExperimentTable,
  options: { mode?: "refuse" | "report" } = {},
): FeatureMatrix & { segment: Int32Array | undefined } {
  const names = model.file.contract.features.map((f) => f.name);
  const fm = applyFeatureContract(model.file.contract, featureRows(table, names), {
    mode: options.mode ?? "refuse",
    file: table.file,
    lines: table.lines,
    expectedHash: model.file.contract_hash,
    extraColumns: "ignore",
    maxIssues: 20,
  });
  let segment: Int32Array | undefined;
  if (model.file.segment) {
    const col = table.features[model.file.segment.column];
    if (!col) {
      throw modelError(
        "contract_mismatch",
        `${table.file}: missing segment column '${model.file.segment.column}' the model was trained with`,
      );
    }
    const levels = model.file.segment.levels;
    segment = Int32Array.from(col, (v) => levels.indexOf(String(v)));
  }
  return { ...fm, segment };
}

/**
 * Score a table with a model: `modelInputs` (contract validation and transformation), then every
 * (unit, action) effect. The inputs are returned too, so callers do not transform twice.
 *
 * @example
 * const { prediction, issues } = scoreCiaModel(model, table, { mode: "refuse" });
 */
export function scoreCiaModel(
  model: CiaModel,
  table: ExperimentTable,
  options: { mode?: "refuse" | "report"; propensity?: Float64Array } = {},
): {
  prediction: UpliftPrediction;
  inputs: ReturnType<typeof modelInputs>;
  issueCount: number;
  issues: DataIssue[];
  rowOk: Uint8Array;
} {
  const inputs = modelInputs(model, table, options.mode ? { mode: options.mode } : {});
  const prediction = model.uplift.predict(inputs.matrix, {
    segment: inputs.segment,
    propensity: options.propensity,
  });
  return { prediction, inputs, issueCount: inputs.issueCount, issues: inputs.issues, rowOk: inputs.rowOk };
}
