import { CiaError } from "@cia/core";
import type { LoadColumn, SqlEngine } from "./engine.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import { ident, intLiteral, joinSql, rawSql, sql } from "./sql.js";

/** A worker of a sharded PostgreSQL layout, as the coordinator reaches it, and a connection to it. */
export interface PostgresShard {
  /** Foreign server name on the coordinator (a validated identifier). */
  server: string;
  host: string;
  port: number;
  dbname: string;
  user: string;
  /** A connection to the worker itself, to create the shard tables. */
  engine: SqlEngine;
}

const TYPES: Record<LoadColumn["type"], string> = {
  integer: "INTEGER",
  bigint: "BIGINT",
  double: "DOUBLE PRECISION",
  text: "TEXT",
};

function checkPostgres(engine: SqlEngine, role: string): void {
  if (engine.dialect.name !== "postgres") {
    throw new CiaError<WarehouseErrorCode>(
      "invalid_option",
      `the ${role} of a sharded layout must be PostgreSQL`,
    );
  }
}

/**
 * Register the workers on the coordinator as postgres_fdw foreign servers (idempotent), with
 * batched inserts, large fetches and asynchronous scans so that the shards are read in parallel,
 * and switch on partitionwise aggregation and joins for the coordinator's session.
 *
 * @example
 * await connectPostgresShards(coordinator, [{ server: "w0", host: "127.0.0.1", port: 54330, dbname: "postgres", user: "cia", engine: w0 }]);
 */
export async function connectPostgresShards(
  coordinator: SqlEngine,
  shards: readonly PostgresShard[],
): Promise<void> {
  checkPostgres(coordinator, "coordinator");
  await coordinator.run(sql`CREATE EXTENSION IF NOT EXISTS postgres_fdw`);
  for (const s of shards) {
    checkPostgres(s.engine, "worker");
    const server = ident(s.server);
    if (!Number.isInteger(s.port) || s.port <= 0 || s.port > 65535)
      throw new CiaError<WarehouseErrorCode>("invalid_option", `port must be in 1..65535, got ${s.port}`);
    // Server options are string literals in DDL (no parameters there): validate, then quote.
    for (const [k, v] of Object.entries({ host: s.host, dbname: s.dbname, user: s.user })) {
      if (!/^[A-Za-z0-9_.-]+$/.test(v))
        throw new CiaError<WarehouseErrorCode>(
          "invalid_option",
          `${k} ${JSON.stringify(v)} must match [A-Za-z0-9_.-]+`,
        );
    }
    const lit = (v: string) => rawSql(`'${v}'`);
    await coordinator.run(sql`DROP SERVER IF EXISTS ${server} CASCADE`);
    await coordinator.run(
      sql`CREATE SERVER ${server} FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host ${lit(s.host)}, port ${lit(String(s.port))}, dbname ${lit(s.dbname)}, batch_size '10000', fetch_size '50000', async_capable 'true', use_remote_estimate 'false')`,
    );
    await coordinator.run(
      sql`CREATE USER MAPPING FOR CURRENT_USER SERVER ${server} OPTIONS (user ${lit(s.user)})`,
    );
  }
  await coordinator.run(sql`SET enable_partitionwise_aggregate = on`);
  await coordinator.run(sql`SET enable_partitionwise_join = on`);
}

/**
 * Create `table` on the coordinator as a hash-partitioned table whose partitions are foreign tables
 * on the workers (`<table>_p<i>` on worker i), then load the columns through the coordinator, which
 * routes each row to its shard. Partitioning every table of a query on the unit keeps a unit's
 * rows, its policy and its predictions on one worker.
 *
 * @example
 * await createShardedTable(coordinator, shards, "logged", columns, "unit_id");
 */
export async function createShardedTable(
  coordinator: SqlEngine,
  shards: readonly PostgresShard[],
  table: string,
  columns: readonly LoadColumn[],
  key: string,
): Promise<void> {
  checkPostgres(coordinator, "coordinator");
  const t = ident(table);
  if (!columns.some((c) => c.name === key))
    throw new CiaError<WarehouseErrorCode>(
      "invalid_option",
      `the partition key ${key} is not a column of ${table}`,
    );
  const defs = joinSql(
    columns.map((c) => sql`${ident(c.name)} ${rawSql(TYPES[c.type])}`),
    ", ",
  );
  await coordinator.run(sql`DROP TABLE IF EXISTS ${t} CASCADE`);
  await coordinator.run(sql`CREATE TABLE ${t} (${defs}) PARTITION BY HASH (${ident(key)})`);
  for (let i = 0; i < shards.length; i++) {
    const s = shards[i]!;
    const part = ident(`${table}_p${i}`);
    await s.engine.run(sql`DROP TABLE IF EXISTS ${part}`);
    await s.engine.run(sql`CREATE TABLE ${part} (${defs})`);
    await coordinator.run(
      sql`CREATE FOREIGN TABLE ${part} PARTITION OF ${t} FOR VALUES WITH (MODULUS ${intLiteral(shards.length)}, REMAINDER ${intLiteral(i)}) SERVER ${ident(s.server)} OPTIONS (table_name ${rawSql(`'${table}_p${i}'`)})`,
    );
  }
  await coordinator.append(table, columns);
  for (let i = 0; i < shards.length; i++)
    await shards[i]!.engine.run(sql`ANALYZE ${ident(`${table}_p${i}`)}`);
}
