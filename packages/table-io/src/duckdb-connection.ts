import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

let shared: Promise<DuckDBInstance> | undefined;

/**
 * A new connection to the process's one embedded DuckDB instance (an in-memory database, opened on
 * first use). One instance, because each holds its own buffer pool and thread pool; a connection per
 * operation, because a query on a connection ends that connection's pending streaming result (a
 * reader streaming while a writer appends must not share one). Connections are not closed by hand:
 * closing one while its results still wait for the garbage collector crashed the process (a
 * segfault), so the collector releases them with their results.
 * `CIA_DUCKDB_THREADS` sets the threads (default: DuckDB's, one per core). Internal to the package.
 */
export async function duckdbConnection(): Promise<DuckDBConnection> {
  if (shared === undefined) {
    const options: Record<string, string> = {};
    const threads = process.env.CIA_DUCKDB_THREADS;
    if (threads !== undefined && /^\d+$/.test(threads)) options.threads = threads;
    shared = DuckDBInstance.create(":memory:", options);
    // A failed open must not poison every later call.
    shared.catch(() => {
      shared = undefined;
    });
  }
  return (await shared).connect();
}

/** A SQL string literal (single quotes doubled). Internal to the package. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A SQL identifier (double quotes doubled). Internal to the package. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** Run `fn` on a fresh connection (released by the garbage collector). Internal to the package. */
export async function withConnection<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  return fn(await duckdbConnection());
}
