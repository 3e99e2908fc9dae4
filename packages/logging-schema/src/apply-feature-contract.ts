import { CiaError, type DataIssue, DataValidationError, type DenseMatrix, denseMatrix } from "@cia/core";
import type { FeatureContract, FeatureSpec } from "./feature-contract-schema.js";
import { featureContractHash } from "./feature-contract-hash.js";
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

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "number" && Number.isNaN(v));
}

function describe(v: unknown): string {
  if (typeof v === "string") return `"${v.length > 40 ? `${v.slice(0, 37)}...` : v}"`;
  if (typeof v === "object" && v !== null) return Array.isArray(v) ? "an array" : "an object";
  return String(v);
}

/**
 * Turn rows into the model matrix exactly as the contract says, the ONE function used both to
 * train and to serve so the two cannot drift (lesson 18). Per numeric value: missing -> missing
 * policy; otherwise type check (finite number), range check (`clip` or issue), then the transforms
 * in order. Categoricals are one-hot (`name=level` columns, 1/0) or integer codes (the level's
 * index, one column), per the feature's `encoding`; booleans are 0/1.
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
  let offset = 0;
  for (const f of contract.features) {
    const m: FeatureMonitoring = { missing: 0, imputed: 0, clipped: 0, unseen: 0, refused: 0 };
    monitoring[f.name] = m;
    const absent = n > 0 && !seen.has(f.name);
    const refuse = (i: number, code: string, message: string) => {
      m.refused++;
      if (absent) rowOk[i] = 0;
      else push({ code, path: ["row", i, f.name], message: `${f.name}: ${message}` }, i);
    };
    const width = fillFeature(f, rows, data, offset, cols, m, refuse);
    offset += width;
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

/** Fill one feature's columns; returns how many columns it occupies. */
function fillFeature(
  f: FeatureSpec,
  rows: ArrayLike<Readonly<Record<string, unknown>>>,
  data: Float64Array,
  offset: number,
  stride: number,
  m: FeatureMonitoring,
  refuse: (i: number, code: string, message: string) => void,
): number {
  const n = rows.length;
  if (f.type === "numeric") {
    const lo = f.min ?? Number.NEGATIVE_INFINITY;
    const hi = f.max ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const raw = rows[i]![f.name];
      let x: number;
      if (isMissing(raw)) {
        m.missing++;
        const p = f.missing;
        if (p.policy === "impute_constant") {
          x = p.value;
          m.imputed++;
        } else if (p.policy === "impute_mean") {
          x = p.mean;
          m.imputed++;
        } else {
          x = Number.NaN;
          if (p.policy === "error")
            refuse(i, "missing_value", "value is missing and the contract's missing policy is error");
        }
      } else if (typeof raw !== "number") {
        x = Number.NaN;
        refuse(i, "invalid_type", `expected a number, got ${describe(raw)}`);
      } else if (!Number.isFinite(raw)) {
        x = Number.NaN;
        refuse(i, "not_finite", `expected a finite number, got ${raw}`);
      } else if (raw < lo || raw > hi) {
        if (f.on_out_of_range === "clip") {
          x = raw < lo ? lo : hi;
          m.clipped++;
        } else {
          x = Number.NaN;
          refuse(i, "out_of_range", `${raw} is outside the allowed range [${lo}, ${hi}]`);
        }
      } else x = raw;
      for (const t of f.transforms) {
        if (t.kind === "log1p") {
          if (x <= -1) {
            refuse(i, "transform_domain", `log1p needs a value > -1, got ${x}`);
            x = Number.NaN;
          } else x = Math.log1p(x);
        } else if (t.kind === "clip") x = x < t.min ? t.min : Math.min(x, t.max);
        else if (t.kind === "standardize") x = (x - t.mean) / t.sd;
      }
      data[i * stride + offset] = x;
    }
    return 1;
  }
  if (f.type === "boolean") {
    for (let i = 0; i < n; i++) {
      const raw = rows[i]![f.name];
      let x: number;
      if (isMissing(raw)) {
        m.missing++;
        if (f.missing.policy === "impute_constant") {
          x = f.missing.value ? 1 : 0;
          m.imputed++;
        } else {
          x = Number.NaN;
          if (f.missing.policy === "error") {
            refuse(i, "missing_value", "value is missing and the contract's missing policy is error");
          }
        }
      } else if (raw === true || raw === 1 || raw === "true") x = 1;
      else if (raw === false || raw === 0 || raw === "false") x = 0;
      else {
        x = Number.NaN;
        refuse(i, "invalid_type", `expected a boolean (true/false, 1/0), got ${describe(raw)}`);
      }
      data[i * stride + offset] = x;
    }
    return 1;
  }
  const index = new Map<string, number>();
  for (let k = 0; k < f.levels.length; k++) index.set(f.levels[k]!, k);
  const oneHot = f.encoding === "one_hot";
  const width = oneHot ? f.levels.length : 1;
  const imputed = f.missing.policy === "impute_constant" ? index.get(f.missing.value)! : -1;
  for (let i = 0; i < n; i++) {
    const raw = rows[i]![f.name];
    // -1: refused or missing without imputation -> NaN in every column of the feature.
    let k = -1;
    let missing = isMissing(raw);
    if (!missing) {
      if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") {
        const level = String(raw);
        const found = index.get(level);
        if (found !== undefined) k = found;
        else {
          m.unseen++;
          if (f.on_unseen === "as_missing") missing = true;
          else
            refuse(
              i,
              "unseen_category",
              `level ${describe(level)} was not seen in training (levels: ${f.levels.join(", ")})`,
            );
        }
      } else refuse(i, "invalid_type", `expected a category (string), got ${describe(raw)}`);
    }
    if (missing) {
      if (isMissing(raw)) m.missing++;
      if (imputed >= 0) {
        k = imputed;
        m.imputed++;
      } else if (f.missing.policy === "error") {
        refuse(i, "missing_value", "value is missing and the contract's missing policy is error");
      }
    }
    const base = i * stride + offset;
    if (!oneHot) data[base] = k >= 0 ? k : Number.NaN;
    else if (k >= 0)
      data[base + k] = 1; // the other columns are already 0
    else for (let j = 0; j < width; j++) data[base + j] = Number.NaN;
  }
  return width;
}
