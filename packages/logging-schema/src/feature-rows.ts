import type { ExperimentTable } from "./experiment-table.js";

/**
 * The table's feature columns as row objects, the form `applyFeatureContract` and
 * `inferFeatureContract` read, built once (a column absent from the table is `undefined` in every
 * row, which the contract reports as missing).
 *
 * @example
 * const rows = featureRows(table); rows[0].age;
 * applyFeatureContract(contract, featureRows(table, contract.features.map((f) => f.name)));
 */
export function featureRows(
  table: ExperimentTable,
  columns: readonly string[] = table.featureNames,
): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = new Array(table.n);
  const cols = columns.map((c) => table.features[c]);
  for (let i = 0; i < table.n; i++) {
    const r: Record<string, unknown> = {};
    for (let j = 0; j < columns.length; j++) {
      const col = cols[j];
      r[columns[j]!] = col ? col[i] : undefined;
    }
    rows[i] = r;
  }
  return rows;
}
