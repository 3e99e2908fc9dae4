import { CiaError, type DataIssue, DataValidationError, sum } from "@cia/core";
import { SCHEMA_VERSION } from "./schema-version.js";
import type { FeatureContract, FeatureSpec, FeatureTransform } from "./feature-contract-schema.js";
import { featureContractHash } from "./feature-contract-hash.js";
import type { LoggingSchemaErrorCode } from "./error-codes.js";

/** Options of {@link inferFeatureContract}. */
export interface InferFeatureContractOptions {
  /** Contract name (not part of the hash). */
  name?: string | undefined;
  /** Force a feature's type instead of inferring it. */
  types?: Readonly<Record<string, "numeric" | "categorical" | "boolean">> | undefined;
  /**
   * Missing-value policy written into the contract: `impute` (default; numeric: the training mean,
   * categorical/boolean: the most frequent value), `error`, or `nan`.
   */
  missing?: "impute" | "error" | "nan" | undefined;
  /** Numeric range: `observed` (default, the training min and max) or `none`. */
  range?: "observed" | "none" | undefined;
  /** What serving does outside the observed range: `clip` (default) or `error`. */
  onOutOfRange?: "clip" | "error" | undefined;
  /** Numeric features to transform with log1p (before standardizing). */
  log1p?: readonly string[] | undefined;
  /** Standardize numeric features with the training mean and population sd (ddof 0, as scikit-learn). */
  standardize?: boolean | undefined;
  /** Categorical encoding: `one_hot` (default) or `code`. */
  encoding?: "one_hot" | "code" | undefined;
  /** Unseen categories at serving: `error` (default) or `as_missing`. */
  onUnseen?: "error" | "as_missing" | undefined;
  /** Refuse categoricals with more levels than this (default 200): likely an id column. */
  maxLevels?: number | undefined;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "number" && Number.isNaN(v));
}

/**
 * Build a feature contract from training rows: for each named column (in the given order) infer
 * its type (all booleans -> boolean; all finite numbers -> numeric; any string -> categorical with
 * the sorted distinct values as levels), and store what serving needs to repeat training exactly:
 * observed range, imputation value, log1p/standardize parameters. The contract's `hash` is set.
 *
 * Refuses (DataValidationError) a column with no non-missing value, a non-finite number, a log1p
 * feature with values <= -1; refuses (CiaError `too_many_levels`) a categorical over `maxLevels`.
 * A constant feature standardizes with sd 1 (its mean is subtracted, nothing is divided by 0).
 *
 * @example
 * const contract = inferFeatureContract(trainingRows, ["tenure_days", "country", "is_member"], { standardize: true });
 * const { matrix } = applyFeatureContract(contract, trainingRows);
 */
export function inferFeatureContract(
  rows: ArrayLike<Readonly<Record<string, unknown>>>,
  columns: readonly string[],
  options: InferFeatureContractOptions = {},
): FeatureContract {
  const n = rows.length;
  const missingMode = options.missing ?? "impute";
  const maxLevels = options.maxLevels ?? 200;
  const log1p = new Set(options.log1p ?? []);
  const issues: DataIssue[] = [];
  const features: FeatureSpec[] = [];
  const names = new Set<string>();
  for (const name of columns) {
    if (names.has(name))
      throw new CiaError<LoggingSchemaErrorCode>("duplicate_feature", `feature "${name}" is listed twice`, {
        name,
      });
    names.add(name);
    let numbers = 0;
    let strings = 0;
    let booleans = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = rows[i]![name];
      if (isMissing(v)) missing++;
      else if (typeof v === "number") {
        numbers++;
        if (!Number.isFinite(v)) {
          issues.push({
            code: "not_finite",
            path: ["row", i, name],
            message: `${name}: ${v} is not a finite number`,
          });
        }
      } else if (typeof v === "string") strings++;
      else if (typeof v === "boolean") booleans++;
      else
        issues.push({
          code: "invalid_type",
          path: ["row", i, name],
          message: `${name}: not a number, string or boolean`,
        });
    }
    if (missing === n) {
      issues.push({
        code: "no_values",
        path: ["column", name],
        message: `${name}: no non-missing value in ${n} rows; a contract cannot be inferred for it`,
      });
      continue;
    }
    const forced = options.types?.[name];
    const type =
      forced ??
      (strings > 0
        ? "categorical"
        : booleans > 0 && numbers === 0
          ? "boolean"
          : numbers > 0 && booleans === 0
            ? "numeric"
            : "categorical");
    if (type === "numeric") {
      const values = new Float64Array(n - missing);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const v = rows[i]![name];
        if (isMissing(v)) continue;
        if (typeof v !== "number") {
          issues.push({
            code: "invalid_type",
            path: ["row", i, name],
            message: `${name}: expected a number, got ${String(v)}`,
          });
          continue;
        }
        values[k++] = v;
      }
      const x = values.subarray(0, k);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const mean = x.length > 0 ? sum(x) / x.length : 0;
      const transforms: FeatureTransform[] = [];
      let t = x;
      if (log1p.has(name)) {
        if (lo <= -1) {
          issues.push({
            code: "transform_domain",
            path: ["column", name],
            message: `${name}: log1p needs values > -1, min is ${lo}`,
          });
        }
        transforms.push({ kind: "log1p" });
        t = x.map((v) => Math.log1p(v));
      }
      if (options.standardize) {
        // Imputed values are the raw mean, so the standardization statistics are of the values as
        // they will look after imputation and transformation.
        const imputedT = log1p.has(name) ? Math.log1p(mean) : mean;
        const fill = missingMode === "impute" ? missing : 0;
        const count = t.length + fill;
        const m = (sum(t) + fill * imputedT) / count;
        let ss = 0;
        for (let i = 0; i < t.length; i++) ss += (t[i]! - m) ** 2;
        ss += fill * (imputedT - m) ** 2;
        const sd = Math.sqrt(ss / count);
        transforms.push({ kind: "standardize", mean: m, sd: sd > 0 && Number.isFinite(sd) ? sd : 1 });
      }
      const observed = (options.range ?? "observed") === "observed";
      features.push({
        name,
        type: "numeric",
        ...(observed ? { min: lo, max: hi } : {}),
        on_out_of_range: options.onOutOfRange ?? "clip",
        missing:
          missingMode === "impute"
            ? { policy: "impute_mean", mean }
            : missingMode === "error"
              ? { policy: "error" }
              : { policy: "nan" },
        transforms,
      });
    } else if (type === "boolean") {
      let trues = 0;
      for (let i = 0; i < n; i++) {
        const v = rows[i]![name];
        if (v === true || v === 1 || v === "true") trues++;
        else if (!(isMissing(v) || v === false || v === 0 || v === "false")) {
          issues.push({
            code: "invalid_type",
            path: ["row", i, name],
            message: `${name}: expected a boolean, got ${String(v)}`,
          });
        }
      }
      features.push({
        name,
        type: "boolean",
        missing:
          missingMode === "impute"
            ? { policy: "impute_constant", value: trues * 2 >= n - missing }
            : missingMode === "error"
              ? { policy: "error" }
              : { policy: "nan" },
      });
    } else {
      const counts = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const v = rows[i]![name];
        if (isMissing(v) || typeof v === "object") continue;
        const level = String(v);
        counts.set(level, (counts.get(level) ?? 0) + 1);
      }
      if (counts.size > maxLevels) {
        throw new CiaError<LoggingSchemaErrorCode>(
          "too_many_levels",
          `${name}: ${counts.size} distinct values exceed maxLevels ${maxLevels}; is it an id column?`,
          { name, levels: counts.size, maxLevels },
        );
      }
      const levels = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      let mode = levels[0]!;
      for (const l of levels) if (counts.get(l)! > counts.get(mode)!) mode = l;
      features.push({
        name,
        type: "categorical",
        levels,
        encoding: options.encoding ?? "one_hot",
        on_unseen: options.onUnseen ?? "error",
        missing:
          missingMode === "impute"
            ? { policy: "impute_constant", value: mode }
            : missingMode === "error"
              ? { policy: "error" }
              : { policy: "nan" },
      });
    }
  }
  if (issues.length > 0) throw new DataValidationError(issues);
  const contract: FeatureContract = {
    schema_version: SCHEMA_VERSION,
    ...(options.name !== undefined ? { name: options.name } : {}),
    features,
  };
  contract.hash = featureContractHash(contract);
  return contract;
}
