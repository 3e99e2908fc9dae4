import type { Dialect } from "./dialect.js";
import type { Sql } from "./sql.js";

/** A row of a result: column name to value (numbers as numbers, text as strings, SQL NULL as null). */
export type Row = Record<string, number | string | boolean | null>;

/** A column to bulk-load: its name, SQL type and values (one per row). */
export type LoadColumn =
  | { name: string; type: "integer" | "bigint" | "double"; values: ArrayLike<number> }
  | { name: string; type: "text"; values: readonly string[] };

/**
 * The one interface the warehouse functions run against: an embedded DuckDB
 * ({@link createDuckDbEngine}) or a PostgreSQL connection ({@link createPostgresEngine}). Every
 * statement is a {@link Sql} fragment, rendered with bound parameters for the engine's dialect.
 */
export interface SqlEngine {
  readonly dialect: Dialect;
  /** Run a statement and return its rows (numbers as JS numbers; 64-bit integers converted). */
  query(statement: Sql): Promise<Row[]>;
  /** Run a statement for its effect. */
  run(statement: Sql): Promise<void>;
  /**
   * Stream a query's numeric columns in batches (DuckDB: its vectors' data chunks; PostgreSQL: a
   * cursor of `batchRows`), so a result larger than memory never lands in Node at once.
   */
  stream(
    statement: Sql,
    onBatch: (columns: Record<string, Float64Array>, rows: number) => void | Promise<void>,
    options?: { batchRows?: number },
  ): Promise<number>;
  /** Create (or replace) a table and bulk-load columns into it. */
  load(table: string, columns: readonly LoadColumn[]): Promise<void>;
  /** Bulk-append columns to an existing table (a partitioned parent routes rows to its partitions). */
  append(table: string, columns: readonly LoadColumn[]): Promise<void>;
  close(): Promise<void>;
}

/** Convert an engine value to a plain number / string / null. */
export function toPlain(v: unknown): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  // DECIMAL and other wrapped values print as numbers.
  const n = Number(String(v));
  return Number.isNaN(n) ? String(v) : n;
}

/** Turn a batch of plain rows into numeric columns (null -> NaN). */
export function rowsToColumns(rows: readonly Row[], names: readonly string[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of names) {
    const col = new Float64Array(rows.length);
    rows.forEach((r, i) => {
      const v = r[name];
      col[i] = v === null || v === undefined ? Number.NaN : Number(v);
    });
    out[name] = col;
  }
  return out;
}
