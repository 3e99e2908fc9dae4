export type { WarehouseErrorCode } from "./error-codes.js";
export { Sql, Ident, RawSql, sql, ident, intLiteral, rawSql, joinSql, renderSql } from "./sql.js";
export type { RenderedSql } from "./sql.js";
export { DIALECTS } from "./dialect.js";
export type { Dialect, DialectName } from "./dialect.js";
export type { SqlEngine, Row, LoadColumn } from "./engine.js";
export { createDuckDbEngine } from "./duckdb-engine.js";
export type { DuckDbEngineOptions } from "./duckdb-engine.js";
export { createPostgresEngine } from "./postgres-engine.js";
export type { PostgresEngineOptions } from "./postgres-engine.js";
export { loadCandidates, candidateColumns, candidateLoadColumns } from "./load-candidates.js";
export { connectPostgresShards, createShardedTable } from "./postgres-shards.js";
export type { PostgresShard } from "./postgres-shards.js";
export {
  scoresIdents,
  pointsSql,
  hullStartSql,
  hullPassSql,
  incrementsSql,
  greedySql,
  fillChunkSql,
  choiceSql,
  pruneCountsSql,
  STAGES,
} from "./allocation-sql.js";
export type { ScoresTable, ScoresIdents, ValueSource } from "./allocation-sql.js";
export { warehouseAllocate } from "./warehouse-allocate.js";
export type { WarehouseAllocateOptions } from "./warehouse-allocate.js";
export {
  evaluationIdents,
  roundsSql,
  bagSumsSql,
  replicatesSql,
  roundColumns,
  EVAL_STAGES,
} from "./evaluation-sql.js";
export type { LoggedTable, PolicyTable, RewardModelTable, EvaluationIdents } from "./evaluation-sql.js";
export { warehouseEvaluate } from "./warehouse-evaluate.js";
export type { WarehouseEvaluateOptions, WarehouseEvaluation, HeadPair } from "./warehouse-evaluate.js";
export { treeModelSql } from "./tree-model-sql.js";
export { warehouseScore } from "./warehouse-score.js";
export type { FeatureTable, WarehouseScoreOptions } from "./warehouse-score.js";
