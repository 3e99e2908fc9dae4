import type { Candidates } from "@cia/optimizer";
import type { LoadColumn, SqlEngine } from "./engine.js";

/**
 * Write @cia/optimizer `Candidates` to a table of the engine in the long layout
 * {@link warehouseAllocate} reads (`unit, action, tau_value, tau_cost, row_id`, plus `eligible`,
 * `tau_value_lower`, `tau_value_se`, `channel` when present): the bridge for tests, benchmarks and a user who
 * holds the scores in process but wants them allocated where the rest of the data lives.
 *
 * @example
 * await loadCandidates(engine, "scores", candidates);
 * await warehouseAllocate(engine, { table: "scores", columns: { row: "row_id" } }, { budget });
 */
export async function loadCandidates(engine: SqlEngine, table: string, c: Candidates): Promise<void> {
  await engine.load(table, candidateLoadColumns(c));
}

/**
 * The columns {@link loadCandidates} writes, for loaders of other layouts (a sharded table).
 *
 * @example
 * await createShardedTable(coordinator, shards, "scores", candidateLoadColumns(c), "unit");
 */
export function candidateLoadColumns(c: Candidates): LoadColumn[] {
  const n = c.unit.length;
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) row[i] = i;
  const columns: LoadColumn[] = [
    { name: "unit", type: "bigint", values: c.unit },
    { name: "action", type: "integer", values: c.action },
    { name: "tau_value", type: "double", values: c.tauValue },
    { name: "tau_cost", type: "double", values: c.tauCost },
    { name: "row_id", type: "bigint", values: row },
  ];
  if (c.eligible) columns.push({ name: "eligible", type: "integer", values: c.eligible });
  if (c.tauValueLower) columns.push({ name: "tau_value_lower", type: "double", values: c.tauValueLower });
  if (c.tauValueSe) columns.push({ name: "tau_value_se", type: "double", values: c.tauValueSe });
  if (c.channel) columns.push({ name: "channel", type: "integer", values: c.channel });
  return columns;
}

/**
 * The {@link ScoresTable} columns of a table written by {@link loadCandidates}.
 *
 * @example
 * warehouseAllocate(engine, { table: "scores", columns: candidateColumns(candidates) }, { budget });
 */
export function candidateColumns(c: Candidates): {
  row: string;
  eligible?: string;
  tauValueLower?: string;
  tauValueSe?: string;
  channel?: string;
} {
  return {
    row: "row_id",
    ...(c.eligible ? { eligible: "eligible" } : {}),
    ...(c.tauValueLower ? { tauValueLower: "tau_value_lower" } : {}),
    ...(c.tauValueSe ? { tauValueSe: "tau_value_se" } : {}),
    ...(c.channel ? { channel: "channel" } : {}),
  };
}
