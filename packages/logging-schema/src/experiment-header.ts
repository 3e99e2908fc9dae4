import { EXPERIMENT_TABLE_COLUMNS } from "./experiment-table.js";
import type { ExperimentTableColumn } from "./experiment-table.js";

/** A problem with an experiment table's columns, found before any row is read. */
export interface ExperimentHeaderIssue {
  code: "missing_column" | "unknown_column";
  field: string;
  message: string;
}

/**
 * The column rules of an experiment table, in one place for every reader (CSV/JSONL here, Parquet
 * in @cia/table-io): `unit_id` is always needed, `require` names further reserved columns, and with
 * a feature contract (`features`) every contract feature must be there and no other non-reserved
 * column may be; without one, every non-reserved column is a feature.
 *
 * @example
 * experimentHeader(["unit_id", "action", "x"], { require: ["action"] });
 * // { featureNames: ["x"], issues: [] }
 */
export function experimentHeader(
  names: readonly string[],
  checks: {
    require?: readonly ExperimentTableColumn[] | undefined;
    features?: readonly string[] | undefined;
  },
): { featureNames: string[]; issues: ExperimentHeaderIssue[] } {
  const issues: ExperimentHeaderIssue[] = [];
  if (!names.includes("unit_id"))
    issues.push({
      code: "missing_column",
      field: "unit_id",
      message: "missing column 'unit_id' (every table needs a unit id)",
    });
  for (const r of checks.require ?? [])
    if (!names.includes(r))
      issues.push({ code: "missing_column", field: r, message: `missing column '${r}'` });
  const reserved: readonly string[] = EXPERIMENT_TABLE_COLUMNS;
  const candidates = names.filter((h) => !reserved.includes(h));
  const wanted = checks.features;
  if (!wanted) return { featureNames: candidates, issues };
  for (const f of wanted)
    if (!names.includes(f))
      issues.push({
        code: "missing_column",
        field: f,
        message: `missing feature column '${f}' required by the feature contract`,
      });
  for (const h of candidates)
    if (!wanted.includes(h))
      issues.push({
        code: "unknown_column",
        field: h,
        message: `unknown column '${h}': not a feature of the model's contract (remove it or retrain)`,
      });
  return { featureNames: [...wanted], issues };
}
