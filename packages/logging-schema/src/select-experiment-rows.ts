import type { ExperimentTable } from "./experiment-table.js";

/**
 * The rows `rows` of a table (in that order, repeats allowed) as a new table labelled `file`, for
 * a train/holdout split or a bootstrap: every column is copied, the action names are shared, and
 * each row keeps its source line, so messages still point into the original file.
 *
 * @example
 * const holdout = selectExperimentRows(table, Int32Array.of(3, 7, 9), "table.csv (holdout)");
 */
export function selectExperimentRows(
  table: ExperimentTable,
  rows: ArrayLike<number>,
  file: string = table.file,
): ExperimentTable {
  const pick = <T>(a: ArrayLike<T>): T[] => Array.from(rows, (i) => a[i]!);
  const out: ExperimentTable = {
    file,
    n: rows.length,
    lines: Int32Array.from(rows, (i) => table.lines[i]!),
    unitIds: pick(table.unitIds),
    featureNames: table.featureNames,
    features: Object.fromEntries(table.featureNames.map((f) => [f, pick(table.features[f]!)])),
  };
  if (table.action) out.action = Int32Array.from(rows, (i) => table.action![i]!);
  if (table.actionNames) out.actionNames = table.actionNames;
  if (table.propensity) out.propensity = Float64Array.from(rows, (i) => table.propensity![i]!);
  if (table.value) out.value = Float64Array.from(rows, (i) => table.value![i]!);
  if (table.cost) out.cost = Float64Array.from(rows, (i) => table.cost![i]!);
  return out;
}
