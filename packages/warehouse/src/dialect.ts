import { type Ident, type Sql, intLiteral, sql } from "./sql.js";

/** The engines whose SQL this package writes; only duckdb and postgres run here, spark and trino have golden tests. */
export type DialectName = "duckdb" | "postgres" | "spark" | "trino";

/**
 * What differs between engines in the portable subset this package writes (CTEs, CASE, window
 * functions, GROUP BY): quoting, placeholders, the double type, a series of integers, and how a
 * staged intermediate result is created.
 */
export interface Dialect {
  readonly name: DialectName;
  quote(name: string): string;
  placeholder(index: number): string;
  /** The 64-bit float type name. */
  readonly double: string;
  /** A one-column relation `r` of the integers 0..n-1. */
  series(n: number): Sql;
  /** Statement that stages `body` as a (temporary) table named `name` (already quoted). */
  createStage(name: Ident, body: Sql): Sql;
  /**
   * Text that stops the planner from inlining a subquery's computed columns into the outer
   * expressions (PostgreSQL's `OFFSET 0`): a hash applied three times would otherwise be expanded
   * into dozens of copies per row, and PostgreSQL's JIT compiles each one.
   */
  readonly fence: string;
  /**
   * A sum of doubles accurate to the last bits, for the totals that must equal the in-process
   * compensated sums at 10^7 rows (a plain SUM drifts by sqrt(n) ulps): DuckDB's `fsum`
   * (Kahan-Babuska), PostgreSQL's exact NUMERIC sum rounded once; Spark and Trino keep SUM.
   */
  preciseSum(x: Sql): Sql;
  /** True where a double is NaN (a missing feature stored as NaN rather than NULL). */
  isNaN(x: Sql): Sql;
  /** Statement that drops a staged table if it exists. */
  dropStage(name: Ident): Sql;
  /**
   * An aggregate giving `value` at the row of largest `key` (a row value, compared
   * lexicographically), where the engine has one (DuckDB's `arg_max`): a GROUP BY instead of a
   * window that sorts each group. Absent: the portable ROW_NUMBER window is used.
   */
  readonly argMax?: ((value: Sql, key: Sql) => Sql) | undefined;
  /**
   * A plain sum of doubles added one by one in `order` (DuckDB's ordered aggregate `sum(x ORDER BY
   * k)`), and the compensated one likewise: the sums of @cia/optimizer's dual evaluation, which
   * loops over the units in order (a naive sum of each limit's use, Kahan's sum of the values), so
   * the cutting planes see the same doubles. Absent: `preciseSum`.
   */
  readonly orderedSum?: ((x: Sql, order: Sql, compensated: boolean) => Sql) | undefined;
}

const dq = (name: string) => `"${name}"`;
/** PostgreSQL's exact sum of doubles (NUMERIC), rounded once: order-free, so also its "ordered" compensated sum. */
const pgExactSum = (x: Sql) => sql`CAST(SUM(CAST(${x} AS NUMERIC)) AS DOUBLE PRECISION)`;

/**
 * The four dialects.
 *
 * @example
 * DIALECTS.spark.quote("unit"); // `unit`
 */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  duckdb: {
    name: "duckdb",
    preciseSum: (x) => sql`fsum(${x})`,
    isNaN: (x) => sql`isnan(${x})`,
    fence: "",
    quote: dq,
    placeholder: (i) => `$${i}`,
    double: "DOUBLE",
    series: (n) => sql`(SELECT CAST(range AS BIGINT) AS r FROM range(${intLiteral(n)}))`,
    createStage: (name, body) => sql`CREATE OR REPLACE TEMP TABLE ${name} AS ${body}`,
    dropStage: (name) => sql`DROP TABLE IF EXISTS ${name}`,
    argMax: (value, key) => sql`arg_max(${value}, ${key})`,
    orderedSum: (x, order, compensated) =>
      compensated ? sql`fsum(${x} ORDER BY ${order})` : sql`sum(${x} ORDER BY ${order})`,
  },
  postgres: {
    name: "postgres",
    preciseSum: pgExactSum,
    isNaN: (x) => sql`(${x} = CAST('NaN' AS DOUBLE PRECISION))`,
    fence: " OFFSET 0",
    quote: dq,
    placeholder: (i) => `$${i}`,
    double: "DOUBLE PRECISION",
    series: (n) => sql`(SELECT CAST(g AS BIGINT) AS r FROM generate_series(0, ${intLiteral(n - 1)}) AS s(g))`,
    createStage: (name, body) => sql`CREATE TEMP TABLE ${name} AS ${body}`,
    dropStage: (name) => sql`DROP TABLE IF EXISTS ${name}`,
    // sum(float8) adds in the ORDER BY's order; no Kahan aggregate: the exact NUMERIC sum instead
    orderedSum: (x, order, compensated) => (compensated ? pgExactSum(x) : sql`SUM(${x} ORDER BY ${order})`),
  },
  spark: {
    name: "spark",
    preciseSum: (x) => sql`SUM(${x})`,
    isNaN: (x) => sql`isnan(${x})`,
    fence: "",
    quote: (name) => `\`${name}\``,
    placeholder: () => "?",
    double: "DOUBLE",
    series: (n) => sql`(SELECT CAST(id AS BIGINT) AS r FROM range(${intLiteral(n)}))`,
    createStage: (name, body) => sql`CREATE OR REPLACE TEMPORARY VIEW ${name} AS ${body}`,
    dropStage: (name) => sql`DROP VIEW IF EXISTS ${name}`,
  },
  trino: {
    name: "trino",
    preciseSum: (x) => sql`SUM(${x})`,
    isNaN: (x) => sql`is_nan(${x})`,
    fence: "",
    quote: dq,
    placeholder: () => "?",
    double: "DOUBLE",
    series: (n) =>
      sql`(SELECT CAST(g AS BIGINT) AS r FROM UNNEST(sequence(0, ${intLiteral(n - 1)})) AS s(g))`,
    createStage: (name, body) => sql`CREATE TABLE ${name} AS ${body}`,
    dropStage: (name) => sql`DROP TABLE IF EXISTS ${name}`,
  },
};
