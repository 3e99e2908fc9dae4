import { CiaError, type DataIssue, DataValidationError, type DenseMatrix, denseMatrix } from "@cia/core";
import type { FeatureContract } from "./feature-contract-schema.js";
import { featureContractHash } from "./feature-contract-hash.js";
import {
  BOOLEAN,
  CATEGORICAL,
  CLIPPED,
  type FeaturePlan,
  IMPUTED,
  MISSING,
  UNSEEN,
  type ValueNote,
  encodeBoolean,
  encodeCategory,
  encodeNumeric,
  featurePlans,
  valueIssueMessage,
  valueNote,
} from "./feature-plan.js";
import type { LoggingSchemaErrorCode } from "./error-codes.js";

/**
 * The experiment table's non-feature columns, expected beside the features and not reported as extra.
 *
 * @example
 * applyFeatureContract(contract, rows, { passthroughColumns: [...DEFAULT_PASSTHROUGH_COLUMNS, "segment"] });
 */
export const DEFAULT_PASSTHROUGH_COLUMNS: readonly string[] = [
  "unit_id",
  "action",
  "propensity",
  "value",
  "cost",
  "decision_id",
  "decision_time",
];

/** Options of {@link applyFeatureContract}. */
export interface ApplyFeatureContractOptions {
  /**
   * `refuse` (default): any issue throws a `DataValidationError` (first `maxIssues` issues).
   * `report`: return the matrix anyway, with each refused value as NaN, the issues listed and
   * `rowOk[i] = 0` for rows with an issue, so the caller decides (e.g. drop those rows).
   */
  mode?: "refuse" | "report" | undefined;
  /** Columns outside the contract: `error` (default, issue `extra_column`) or `ignore`. */
  extraColumns?: "error" | "ignore" | undefined;
  /** Non-feature columns that may be present. Default {@link DEFAULT_PASSTHROUGH_COLUMNS}. */
  passthroughColumns?: readonly string[] | undefined;
  /** The hash the model was trained with; a different contract hash throws `contract_hash_mismatch`. */
  expectedHash?: string | undefined;
  /** Source line of each row, stamped on issues. */
  lines?: ArrayLike<number> | undefined;
  /** Source file, stamped on issues. */
  file?: string | undefined;
  /** Issues kept in the result or the error. Default 100. */
  maxIssues?: number | undefined;
}

/** Per-feature counts for monitoring train/serve drift (lesson 18). */
export interface FeatureMonitoring {
  /** Values absent, null or NaN. */
  missing: number;
  /** Missing (or unseen, with `as_missing`) values replaced by the contract's constant or mean. */
  imputed: number;
  /** Values clamped into [min, max] by `on_out_of_range: "clip"` (range check only, not transforms). */
  clipped: number;
  /** Categorical values outside the levels. */
  unseen: number;
  /** Values refused (issues). */
  refused: number;
}

/** The model matrix built by {@link applyFeatureContract}. */
export interface FeatureMatrix {
  /** rows x columnNames.length, row-major. */
  matrix: DenseMatrix;
  /** Column names in matrix order: numeric/boolean/`code` features by name, one-hot as `name=level`. */
  columnNames: string[];
  /** The first `maxIssues` issues (report mode; refuse mode throws instead). */
  issues: DataIssue[];
  /** Total number of issues. */
  issueCount: number;
  /** 1 when the row had no issue. */
  rowOk: Uint8Array;
  /** The contract's content hash. */
  contractHash: string;
  /** Counts per feature name. */
  monitoring: Record<string, FeatureMonitoring>;
}

/**
 * The column names a contract produces, in matrix order.
 *
 * @example
 * featureColumnNames(contract); // ["tenure_days", "country=DE", "country=FR", "is_member"]
 */
export function featureColumnNames(contract: Pick<FeatureContract, "features">): string[] {
  const names: string[] = [];
  for (const f of contract.features) {
    if (f.type === "categorical" && f.encoding === "one_hot")
      for (const l of f.levels) names.push(`${f.name}=${l}`);
    else names.push(f.name);
  }
  return names;
}

/**
 * Turn rows into the model matrix exactly as the contract says, the ONE function used both to
 * train and to serve so the two cannot drift (lesson 18); `compileFeatureContract`, the serving
 * path for one row at a time, encodes through the same per-value functions (`feature-plan.ts`).
 * Per numeric value: missing -> missing policy; otherwise type check (finite number), range check
 * (`clip` or issue), then the transforms in order. Categoricals are one-hot (`name=level` columns,
 * 1/0) or integer codes (the level's index, one column), per the feature's `encoding`; booleans
 * are 0/1.
 *
 * Issues (path `["row", i, feature]` unless said): `missing_value` (policy `error`),
 * `invalid_type`, `not_finite`, `out_of_range`, `unseen_category`, `transform_domain` (log1p of a
 * value <= -1), and once per column `missing_column` (`["column", name]`: absent from every row;
 * filled by its missing policy, NaN for `error`) and `extra_column`.
 *
 * @example
 * const { matrix, columnNames } = applyFeatureContract(contract, rows);           // training
 * const served = applyFeatureContract(model.contract, requestRows, { expectedHash: model.contractHash }); // serving
 */
export function applyFeatureContract(
  contract: FeatureContract,
  rows: ArrayLike<Readonly<Record<string, unknown>>>,
  options: ApplyFeatureContractOptions = {},
): FeatureMatrix {
  const mode = options.mode ?? "refuse";
  const maxIssues = options.maxIssues ?? 100;
  const contractHash = featureContractHash(contract);
  if (options.expectedHash !== undefined && options.expectedHash !== contractHash) {
    throw new CiaError<LoggingSchemaErrorCode>(
      "contract_hash_mismatch",
      `feature contract hash ${contractHash} differs from the expected ${options.expectedHash}: the features are not the ones the model was trained on`,
      { expected: options.expectedHash, actual: contractHash },
    );
  }
  const n = rows.length;
  const columnNames = featureColumnNames(contract);
  const cols = columnNames.length;
  const data = new Float64Array(n * cols);
  const rowOk = new Uint8Array(n).fill(1);
  const issues: DataIssue[] = [];
  let issueCount = 0;
  const push = (issue: DataIssue, row: number) => {
    issueCount++;
    if (row >= 0) rowOk[row] = 0;
    if (issues.length >= maxIssues) return;
    const line = row >= 0 ? options.lines?.[row] : undefined;
    if (line !== undefined) issue.line = line;
    if (options.file !== undefined) issue.file = options.file;
    issues.push(issue);
  };

  // Column-level checks: which features never appear, which columns are not features.
  const featureNames = new Set(contract.features.map((f) => f.name));
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) for (const key in rows[i]!) seen.add(key);
  if (n > 0) {
    for (const f of contract.features) {
      if (!seen.has(f.name)) {
        push(
          {
            code: "missing_column",
            path: ["column", f.name],
            message: `feature column "${f.name}" is absent from every row (the contract requires it)`,
          },
          -1,
        );
      }
    }
  }
  if ((options.extraColumns ?? "error") === "error") {
    const pass = new Set(options.passthroughColumns ?? DEFAULT_PASSTHROUGH_COLUMNS);
    for (const key of seen) {
      if (!featureNames.has(key) && !pass.has(key)) {
        push(
          {
            code: "extra_column",
            path: ["column", key],
            message: `column "${key}" is not in the feature contract (pass extraColumns: "ignore" to allow it)`,
          },
          -1,
        );
      }
    }
  }

  const monitoring: Record<string, FeatureMonitoring> = {};
  for (const plan of featurePlans(contract)) {
    const m: FeatureMonitoring = { missing: 0, imputed: 0, clipped: 0, unseen: 0, refused: 0 };
    monitoring[plan.name] = m;
    const absent = n > 0 && !seen.has(plan.name);
    const refuse = (i: number, code: string, message: string) => {
      m.refused++;
      if (absent) rowOk[i] = 0;
      else push({ code, path: ["row", i, plan.name], message: `${plan.name}: ${message}` }, i);
    };
    fillFeature(plan, rows, data, cols, m, refuse);
  }
  if (mode === "refuse" && issueCount > 0) {
    throw new DataValidationError(issues, options.file !== undefined ? { file: options.file } : {});
  }
  return {
    matrix: denseMatrix(n, cols, data),
    columnNames,
    issues,
    issueCount,
    rowOk,
    contractHash,
    monitoring,
  };
}

/** Fill one feature's columns through its plan (the per-value rules of `feature-plan.ts`). */
function fillFeature(
  plan: FeaturePlan,
  rows: ArrayLike<Readonly<Record<string, unknown>>>,
  data: Float64Array,
  stride: number,
  m: FeatureMonitoring,
  refuse: (i: number, code: string, message: string) => void,
): void {
  const n = rows.length;
  const note = valueNote();
  const offset = plan.offset;
  const name = plan.name;
  for (let i = 0; i < n; i++) {
    const raw = rows[i]![name];
    const base = i * stride + offset;
    if (plan.kind === CATEGORICAL) {
      const k = encodeCategory(plan, raw, note);
      if (!plan.oneHot) data[base] = k >= 0 ? k : Number.NaN;
      else if (k >= 0)
        data[base + k] = 1; // the other columns are already 0
      else for (let j = 0; j < plan.width; j++) data[base + j] = Number.NaN;
    } else
      data[base] = plan.kind === BOOLEAN ? encodeBoolean(plan, raw, note) : encodeNumeric(plan, raw, note);
    if (note.flags !== 0 || note.issue !== null) count(plan, raw, note, i, m, refuse);
  }
}

/** The monitoring counts and the issue of one value whose note says anything. */
function count(
  plan: FeaturePlan,
  raw: unknown,
  note: ValueNote,
  i: number,
  m: FeatureMonitoring,
  refuse: (i: number, code: string, message: string) => void,
): void {
  const flags = note.flags;
  if (flags & MISSING) m.missing++;
  if (flags & IMPUTED) m.imputed++;
  if (flags & CLIPPED) m.clipped++;
  if (flags & UNSEEN) m.unseen++;
  if (note.issue !== null) refuse(i, note.issue, valueIssueMessage(plan, raw, note));
}
