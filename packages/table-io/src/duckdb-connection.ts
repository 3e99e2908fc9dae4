import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type nodeBindings from "@duckdb/node-bindings";

let shared: Promise<DuckDBInstance> | undefined;

/**
 * DuckDB's C API (`@duckdb/node-bindings`), set by the first {@link duckdbConnection}: every vector
 * read or write works on a connection's chunks, so it is always set by then. Loaded with the
 * instance, not on import, so a command that reads and writes only CSV never loads DuckDB's
 * native library (tens of milliseconds of start-up). Internal to the package.
 */
export let duckdb: typeof nodeBindings;

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
    shared = (async () => {
      const [api, bindings] = await Promise.all([
        import("@duckdb/node-api"),
        import("@duckdb/node-bindings"),
      ]);
      duckdb = bindings.default;
      // CommonJS: a bundle may give its exports only as the namespace's default.
      type Instance = typeof api.DuckDBInstance;
      const mod = api as unknown as { DuckDBInstance?: Instance; default?: { DuckDBInstance: Instance } };
      const Instance = mod.DuckDBInstance ?? mod.default!.DuckDBInstance;
      return Instance.create(":memory:", options);
    })();
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
