import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

let shared: Promise<DuckDBConnection> | undefined;

/**
 * The process's one embedded DuckDB connection (an in-memory database), opened on first use. One
 * instance, because each holds its own buffer pool and thread pool: two would compete for the same
 * memory. `CIA_DUCKDB_THREADS` sets its threads (default: DuckDB's, one per core); spilling goes to
 * the system temp directory. Internal to the package.
 */
export function duckdbConnection(): Promise<DuckDBConnection> {
  if (shared === undefined) {
    const options: Record<string, string> = {};
    const threads = process.env.CIA_DUCKDB_THREADS;
    if (threads !== undefined && /^\d+$/.test(threads)) options.threads = threads;
    shared = DuckDBInstance.create(":memory:", options).then((db) => db.connect());
    // A failed open must not poison every later call.
    shared.catch(() => {
      shared = undefined;
    });
  }
  return shared;
}

/** A SQL string literal (single quotes doubled). Internal to the package. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A SQL identifier (double quotes doubled). Internal to the package. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
