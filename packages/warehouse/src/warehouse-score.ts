import { CiaError, denseMatrix } from "@cia/core";
import type { HistGradientBoostingModel } from "@cia/learners";
import type { SqlEngine } from "./engine.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import { ident, joinSql, rawSql, sql } from "./sql.js";
import { treeModelSql } from "./tree-model-sql.js";

/** Rows to score: an integer key column and the model's feature columns, in the model's order. */
export interface FeatureTable {
  table: string;
  key: string;
  features: readonly string[];
}

/** Options of {@link warehouseScore}. */
export interface WarehouseScoreOptions {
  /**
   * "sql": compile the trees to CASE expressions and score inside the engine (no row leaves it;
   * slow for many trees); "stream" (default): stream the features out in column batches to the
   * model's WebAssembly predictor and write the scores back.
   */
  mode?: "sql" | "stream" | undefined;
  /** The table written: `(key, score)`, replaced if it exists. */
  outputTable: string;
}

/**
 * Score a @cia/learners gradient-boosting model where the features live, into `outputTable`.
 * Both modes give `model.predict`'s numbers (the SQL mode up to the rounding of exp in the link).
 *
 * @example
 * await warehouseScore(engine, { table: "features", key: "unit_id", features: ["x0", "x1"] }, model,
 *   { mode: "stream", outputTable: "scores" });
 */
export async function warehouseScore(
  engine: SqlEngine,
  source: FeatureTable,
  model: HistGradientBoostingModel,
  options: WarehouseScoreOptions,
): Promise<{ rows: number; mode: "sql" | "stream" }> {
  const mode = options.mode ?? "stream";
  const t = ident(source.table);
  const key = ident(source.key);
  const features = source.features.map((f) => ident(f));
  const out = ident(options.outputTable);
  const json = model.toJSON();
  if (features.length !== json.nFeatures) {
    throw new CiaError<WarehouseErrorCode>(
      "invalid_option",
      `the model expects ${json.nFeatures} features, ${features.length} given`,
    );
  }
  await engine.run(sql`DROP TABLE IF EXISTS ${out}`);
  if (mode === "sql") {
    const expr = treeModelSql(json, features, engine.dialect);
    await engine.run(
      sql`CREATE TABLE ${out} AS SELECT CAST(${key} AS BIGINT) AS ${key}, ${expr} AS score FROM ${t}`,
    );
    const n = await engine.query(sql`SELECT COUNT(*) AS n FROM ${out}`);
    return { rows: Number(n[0]!.n), mode };
  }
  if (mode !== "stream")
    throw new CiaError<WarehouseErrorCode>("invalid_option", `mode must be sql or stream, got ${mode}`);
  await engine.load(options.outputTable, [
    { name: source.key, type: "bigint", values: [] },
    { name: "score", type: "double", values: [] },
  ]);
  const names = features.map((_, j) => `f${j}`);
  const select = joinSql(
    features.map((f, j) => sql`CAST(${f} AS ${rawSql(engine.dialect.double)}) AS ${ident(names[j]!)}`),
    ", ",
  );
  const rows = await engine.stream(
    sql`SELECT CAST(${key} AS BIGINT) AS k, ${select} FROM ${t}`,
    async (cols, n) => {
      const m = names.length;
      const x = denseMatrix(n, m);
      for (let j = 0; j < m; j++) {
        const c = cols[names[j]!]!;
        for (let i = 0; i < n; i++) x.data[i * m + j] = c[i]!;
      }
      const score = model.predict(x);
      await engine.append(options.outputTable, [
        { name: source.key, type: "bigint", values: cols.k! },
        { name: "score", type: "double", values: score },
      ]);
    },
  );
  return { rows, mode };
}
