import { DataValidationError } from "@cia/core";
import type { DataIssue } from "@cia/core";
import { readRecords } from "./read-records.js";

/** The reserved columns of the experiment table (architecture.md); everything else is a feature. */
export const RESERVED_COLUMNS = ["unit_id", "action", "propensity", "value", "cost"] as const;

/** Raw feature value as read: a finite number, a category string, or null (missing). */
export type RawFeature = number | string | null;

/**
 * An experiment (or scoring) table in columns. Feature values stay raw here; the feature contract
 * turns them into a matrix, identically at training and scoring time.
 */
export interface ExperimentTable {
  file: string;
  n: number;
  /** 1-based source line of each row, for messages. */
  lines: Int32Array;
  unitIds: string[];
  /** Logged action names per row (absent for scoring tables). */
  actions?: string[];
  propensity?: Float64Array;
  value?: Float64Array;
  cost?: Float64Array;
  featureNames: string[];
  features: Record<string, RawFeature[]>;
}

export interface ReadTableOptions {
  /** Which reserved columns must be present. */
  require?: ("action" | "propensity" | "value" | "cost")[];
  /** When set, only these feature columns are kept (the contract's), others are reported as extra. */
  features?: readonly string[];
  /** Actions allowed in the `action` column; any other is an issue. */
  knownActions?: readonly string[];
  /** Stop after this many issues (default 20). */
  maxIssues?: number;
}

function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "") return Number.NaN;
    return Number(t);
  }
  return Number.NaN;
}

function toFeature(v: unknown): RawFeature {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  const t = String(v).trim();
  if (t === "" || t.toLowerCase() === "nan" || t.toLowerCase() === "na" || t.toLowerCase() === "null")
    return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : t;
}

/**
 * Read and validate an experiment table (CSV or JSONL). Every problem is reported with file, line
 * and field: unknown or missing columns, non-numeric or NaN outcomes, a propensity outside (0, 1],
 * an unknown action. Nothing is dropped silently: any issue fails the read with up to 20 of them.
 *
 * @example
 * const t = await readExperimentTable("table.csv", { require: ["action", "value"] });
 * t.n; t.actions; t.features.age;
 */
export async function readExperimentTable(
  file: string,
  options: ReadTableOptions = {},
): Promise<ExperimentTable> {
  const maxIssues = options.maxIssues ?? 20;
  const issues: DataIssue[] = [];
  const add = (issue: DataIssue): void => {
    if (issues.length < maxIssues) issues.push(issue);
  };
  const unitIds: string[] = [];
  const lines: number[] = [];
  const actions: string[] = [];
  const prop: number[] = [];
  const value: number[] = [];
  const cost: number[] = [];
  let header: string[] | undefined;
  let featureNames: string[] = [];
  const features: Record<string, RawFeature[]> = {};
  let has = { action: false, propensity: false, value: false, cost: false };
  const known = options.knownActions ? new Set(options.knownActions) : undefined;

  for await (const { line, values } of readRecords(file)) {
    if (!header) {
      header = Object.keys(values);
      has = {
        action: header.includes("action"),
        propensity: header.includes("propensity"),
        value: header.includes("value"),
        cost: header.includes("cost"),
      };
      if (!header.includes("unit_id"))
        add({
          code: "missing_column",
          path: ["unit_id"],
          line: 1,
          message: "missing column 'unit_id' (every table needs a unit id)",
        });
      for (const r of options.require ?? []) {
        if (!has[r]) add({ code: "missing_column", path: [r], line: 1, message: `missing column '${r}'` });
      }
      const candidates = header.filter((h) => !(RESERVED_COLUMNS as readonly string[]).includes(h));
      if (options.features) {
        for (const f of options.features)
          if (!header.includes(f))
            add({
              code: "missing_column",
              path: [f],
              line: 1,
              message: `missing feature column '${f}' required by the feature contract`,
            });
        for (const h of candidates) {
          if (!options.features.includes(h))
            add({
              code: "unknown_column",
              path: [h],
              line: 1,
              message: `unknown column '${h}': not a feature of the model's contract (remove it or retrain)`,
            });
        }
        featureNames = [...options.features];
      } else featureNames = candidates;
      for (const f of featureNames) features[f] = [];
      if (issues.length > 0) break;
    }
    const id = values.unit_id;
    if (id === undefined || id === null || String(id).trim() === "")
      add({ code: "missing_value", path: ["unit_id"], line, message: "unit_id is empty" });
    unitIds.push(String(id ?? ""));
    lines.push(line);
    if (has.action) {
      const a = String(values.action ?? "").trim();
      if (a === "") add({ code: "missing_value", path: ["action"], line, message: "action is empty" });
      else if (known && !known.has(a))
        add({
          code: "unknown_action",
          path: ["action"],
          line,
          message: `unknown action '${a}' (known: ${[...known].join(", ")})`,
        });
      actions.push(a);
    }
    if (has.propensity) {
      const p = toNumber(values.propensity);
      if (!(p > 0 && p <= 1))
        add({
          code: "propensity_out_of_range",
          path: ["propensity"],
          line,
          message: `propensity must be in (0, 1], got '${values.propensity}'`,
        });
      prop.push(p);
    }
    if (has.value) {
      const v = toNumber(values.value);
      if (!Number.isFinite(v))
        add({
          code: "not_finite",
          path: ["value"],
          line,
          message: `value must be a finite number, got '${values.value}'`,
        });
      value.push(v);
    }
    if (has.cost) {
      const c = toNumber(values.cost);
      if (!Number.isFinite(c))
        add({
          code: "not_finite",
          path: ["cost"],
          line,
          message: `cost must be a finite number, got '${values.cost}'`,
        });
      cost.push(c);
    }
    for (const f of featureNames) features[f]!.push(toFeature(values[f]));
    if (issues.length >= maxIssues) break;
  }
  if (!header) issues.push({ code: "empty_table", path: [], message: "the table has no rows" });
  if (issues.length > 0) throw new DataValidationError(issues, { file });
  const table: ExperimentTable = {
    file,
    n: unitIds.length,
    lines: Int32Array.from(lines),
    unitIds,
    featureNames,
    features,
  };
  if (has.action) table.actions = actions;
  if (has.propensity) table.propensity = Float64Array.from(prop);
  if (has.value) table.value = Float64Array.from(value);
  if (has.cost) table.cost = Float64Array.from(cost);
  return table;
}
