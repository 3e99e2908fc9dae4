import { CiaError } from "@cia/core";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { DIALECTS } from "./dialect.js";
import { type LoadColumn, type Row, type SqlEngine, toPlain } from "./engine.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import { type Sql, ident, joinSql, rawSql, renderSql, sql } from "./sql.js";

/** Options of {@link createDuckDbEngine}. */
export interface DuckDbEngineOptions {
  /** Database file, or ":memory:" (default). */
  path?: string | undefined;
  /** DuckDB worker threads (default: DuckDB's, the number of cores). */
  threads?: number | undefined;
  /** DuckDB memory limit, e.g. "2GB" (beyond it, staged tables spill to `tempDirectory`). */
  memoryLimit?: string | undefined;
  /** Where DuckDB spills (default: DuckDB's). */
  tempDirectory?: string | undefined;
}

function engineError(e: unknown, text: string): CiaError<WarehouseErrorCode> {
  const message = e instanceof Error ? e.message : String(e);
  return new CiaError<WarehouseErrorCode>("engine_error", `duckdb: ${message}`, { sql: text }, { cause: e });
}

const TYPES: Record<LoadColumn["type"], string> = {
  integer: "INTEGER",
  bigint: "BIGINT",
  double: "DOUBLE",
  text: "VARCHAR",
};

/**
 * An embedded DuckDB (the default and the test engine): in memory or on a file.
 *
 * @example
 * const engine = await createDuckDbEngine();
 * await engine.load("scores", [{ name: "unit", type: "integer", values: [0, 1] }, ...]);
 * await warehouseAllocate(engine, { table: "scores" }, { budget: 100 });
 * await engine.close();
 */
export async function createDuckDbEngine(options: DuckDbEngineOptions = {}): Promise<SqlEngine> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory !== undefined) config.temp_directory = options.tempDirectory;
  const instance = await DuckDBInstance.create(options.path ?? ":memory:", config);
  const conn: DuckDBConnection = await instance.connect();
  // Appends go through a second connection, so rows can be written back while a result streams.
  let writer: DuckDBConnection | undefined;
  const dialect = DIALECTS.duckdb;
  const render = (q: Sql) => renderSql(q, dialect);
  const engine: SqlEngine = {
    dialect,
    async query(statement: Sql): Promise<Row[]> {
      const { text, params } = render(statement);
      try {
        const reader = await conn.runAndReadAll(text, params as DuckDBValue[]);
        const names = reader.columnNames();
        const cols = reader.getColumnsJS();
        const n = reader.currentRowCount;
        const rows: Row[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const r: Row = {};
          for (let j = 0; j < names.length; j++) r[names[j]!] = toPlain(cols[j]![i]);
          rows[i] = r;
        }
        return rows;
      } catch (e) {
        throw engineError(e, text);
      }
    },
    async run(statement: Sql): Promise<void> {
      const { text, params } = render(statement);
      try {
        await conn.run(text, params as DuckDBValue[]);
      } catch (e) {
        throw engineError(e, text);
      }
    },
    async stream(statement, onBatch): Promise<number> {
      const { text, params } = render(statement);
      let total = 0;
      try {
        const result = await conn.stream(text, params as DuckDBValue[]);
        const names = result.columnNames();
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          const n = chunk.rowCount;
          const cols: Record<string, Float64Array> = {};
          names.forEach((name, j) => {
            const vec = chunk.getColumnVector(j);
            const out = new Float64Array(n);
            for (let i = 0; i < n; i++) {
              const v = vec.getItem(i);
              out[i] = v === null ? Number.NaN : Number(v);
            }
            cols[name] = out;
          });
          total += n;
          await onBatch(cols, n);
        }
      } catch (e) {
        if (CiaError.isInstance(e)) throw e;
        throw engineError(e, text);
      }
      return total;
    },
    async load(table: string, columns: readonly LoadColumn[]): Promise<void> {
      const t = ident(table);
      const defs = joinSql(
        columns.map((c) => sql`${ident(c.name)} ${rawSql(TYPES[c.type])}`),
        ", ",
      );
      await engine.run(sql`CREATE OR REPLACE TABLE ${t} (${defs})`);
      await engine.append(table, columns);
    },
    async append(table: string, columns: readonly LoadColumn[]): Promise<void> {
      ident(table);
      const n = columns[0]?.values.length ?? 0;
      const [schema, name] = table.includes(".") ? table.split(".") : [null, table];
      writer ??= await instance.connect();
      const appender = await writer.createAppender(name!, schema);
      for (let i = 0; i < n; i++) {
        for (const c of columns) {
          if (c.type === "text") {
            appender.appendVarchar(c.values[i]!);
            continue;
          }
          const v = c.values[i]!;
          if (c.type === "double") appender.appendDouble(v);
          else if (c.type === "integer") appender.appendInteger(v);
          else appender.appendBigInt(BigInt(v));
        }
        appender.endRow();
      }
      appender.closeSync();
    },
    async close(): Promise<void> {
      writer?.closeSync();
      conn.closeSync();
      instance.closeSync();
    },
  };
  return engine;
}
