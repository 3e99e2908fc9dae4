import { CiaError } from "@cia/core";
import pg from "pg";
import { DIALECTS } from "./dialect.js";
import { type LoadColumn, type Row, type SqlEngine, rowsToColumns, toPlain } from "./engine.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import { type Sql, ident, joinSql, rawSql, renderSql, sql } from "./sql.js";

/** Options of {@link createPostgresEngine}. */
export interface PostgresEngineOptions {
  /** A libpq connection string, e.g. `postgresql://cia@127.0.0.1:54329/postgres`. */
  dsn: string;
  /**
   * Keep PostgreSQL's JIT on for this session (default false: the warehouse's statements are wide
   * expressions run once, where compiling costs more than it saves).
   */
  jit?: boolean | undefined;
  /**
   * Session memory for sorts and hashes (`work_mem`) and for temporary tables (`temp_buffers`),
   * e.g. "512MB": the staged tables of an allocation are temporary, and PostgreSQL's defaults (4 MB
   * and 8 MB) send every window sort to disk. Default: the server's settings.
   */
  workMem?: string | undefined;
  tempBuffers?: string | undefined;
  /** Rows per INSERT of {@link SqlEngine.load} (default 50,000). */
  loadBatchRows?: number | undefined;
}

function engineError(e: unknown, text: string): CiaError<WarehouseErrorCode> {
  const message = e instanceof Error ? e.message : String(e);
  return new CiaError<WarehouseErrorCode>(
    "engine_error",
    `postgres: ${message}`,
    { sql: text },
    { cause: e },
  );
}

// 64-bit integers (int8, OID 20) and NUMERIC (1700: what SUM of integers returns) as JS numbers;
// float8 text is PostgreSQL's shortest round-trip form (12+), so parseFloat gives the exact double.
const NUMERIC_OIDS = new Set([20, 1700]);
const types = {
  getTypeParser(oid: number, format?: string) {
    if (NUMERIC_OIDS.has(oid)) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

const TYPES: Record<LoadColumn["type"], string> = {
  integer: "INTEGER",
  bigint: "BIGINT",
  double: "DOUBLE PRECISION",
  text: "TEXT",
};
const ARRAY_TYPES: Record<LoadColumn["type"], string> = {
  integer: "integer[]",
  bigint: "bigint[]",
  double: "double precision[]",
  text: "text[]",
};

/**
 * A PostgreSQL connection (single node, or the coordinator of a postgres_fdw-sharded layout): the
 * same SQL as DuckDB in the portable subset, with `$n` parameters.
 *
 * @example
 * const engine = await createPostgresEngine({ dsn: "postgresql://cia@127.0.0.1:54329/postgres" });
 * await warehouseEvaluate(engine, { table: "logged", policy: "assignment" }, { seed: 7 });
 */
export async function createPostgresEngine(options: PostgresEngineOptions): Promise<SqlEngine> {
  const client = new pg.Client({ connectionString: options.dsn, types });
  try {
    await client.connect();
  } catch (e) {
    throw engineError(e, "connect");
  }
  if (!options.jit) await client.query("SET jit = off");
  // Memory sizes go into SET as text: validate them strictly first.
  const size = /^[0-9]{1,7}(kB|MB|GB)$/;
  for (const [name, value] of [
    ["work_mem", options.workMem],
    ["temp_buffers", options.tempBuffers],
  ] as const) {
    if (value === undefined) continue;
    if (!size.test(value)) {
      await client.end();
      throw new CiaError<WarehouseErrorCode>(
        "invalid_option",
        `${name} must look like 512MB, got ${JSON.stringify(value)}`,
      );
    }
    await client.query(`SET ${name} = '${value}'`);
  }
  const dialect = DIALECTS.postgres;
  const batch = options.loadBatchRows ?? 50_000;
  const exec = async (q: Sql) => {
    const { text, params } = renderSql(q, dialect);
    try {
      return await client.query({ text, values: params });
    } catch (e) {
      throw engineError(e, text);
    }
  };
  let cursors = 0;
  const engine: SqlEngine = {
    dialect,
    async query(statement: Sql): Promise<Row[]> {
      const res = await exec(statement);
      return res.rows.map((r: Record<string, unknown>) => {
        const o: Row = {};
        for (const k of Object.keys(r)) o[k] = toPlain(r[k]);
        return o;
      });
    },
    async run(statement: Sql): Promise<void> {
      await exec(statement);
    },
    async stream(statement, onBatch, opts = {}): Promise<number> {
      const rowsPer = opts.batchRows ?? 65_536;
      const name = ident(`cia_cursor_${cursors++}`);
      let total = 0;
      await exec(sql`BEGIN`);
      try {
        await exec(sql`DECLARE ${name} NO SCROLL CURSOR FOR ${statement}`);
        for (;;) {
          const res = await exec(sql`FETCH ${rawSql(String(rowsPer))} FROM ${name}`);
          if (res.rows.length === 0) break;
          const names = res.fields.map((f) => f.name);
          const rows = res.rows as Row[];
          total += rows.length;
          await onBatch(rowsToColumns(rows, names), rows.length);
        }
        await exec(sql`CLOSE ${name}`);
        await exec(sql`COMMIT`);
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      }
      return total;
    },
    async load(table: string, columns: readonly LoadColumn[]): Promise<void> {
      const t = ident(table);
      const defs = joinSql(
        columns.map((c) => sql`${ident(c.name)} ${rawSql(TYPES[c.type])}`),
        ", ",
      );
      await exec(sql`DROP TABLE IF EXISTS ${t}`);
      await exec(sql`CREATE TABLE ${t} (${defs})`);
      await engine.append(table, columns);
    },
    async append(table: string, columns: readonly LoadColumn[]): Promise<void> {
      // Batched INSERT ... SELECT FROM unnest of one bound array per column: values stay parameters.
      const t = ident(table);
      const n = columns[0]?.values.length ?? 0;
      const names = joinSql(
        columns.map((c) => sql`${ident(c.name)}`),
        ", ",
      );
      for (let s = 0; s < n; s += batch) {
        const e = Math.min(n, s + batch);
        const arrays = columns.map((c) => {
          const out: (number | string)[] = new Array(e - s);
          for (let i = s; i < e; i++) out[i - s] = c.values[i]!;
          return sql`${out}::${rawSql(ARRAY_TYPES[c.type])}`;
        });
        await exec(sql`INSERT INTO ${t} (${names}) SELECT * FROM unnest(${joinSql(arrays, ", ")})`);
      }
    },
    async close(): Promise<void> {
      await client.end();
    },
  };
  return engine;
}
