// A Parquet text column's distinct values, so its rows can be read as one-byte ENUM codes instead
// of strings decoded one by one. Internal to the package.
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlIdent, sqlString } from "./duckdb-connection.js";

/**
 * The distinct values of `column` when there are fewer than 256 and each is a clean name (not
 * null, not empty, no surrounding whitespace, so trimming and the empty check cannot change a
 * row); undefined otherwise (the caller reads the strings).
 */
export async function cleanLevels(
  con: DuckDBConnection,
  file: string,
  column: string,
): Promise<string[] | undefined> {
  const d = await con.runAndReadAll(
    `SELECT DISTINCT CAST(${sqlIdent(column)} AS VARCHAR) FROM read_parquet(${sqlString(file)}) LIMIT 256`,
  );
  const values = d.getRowsJS().map((r) => r[0]);
  if (values.length < 256 && values.every((v) => typeof v === "string" && v !== "" && v.trim() === v))
    return values as string[];
  return undefined;
}

/** The SELECT expression of `column` as ENUM codes over `levels`. */
export function enumSql(column: string, levels: readonly string[]): string {
  return `CAST(CAST(${sqlIdent(column)} AS VARCHAR) AS ENUM(${levels.map(sqlString).join(", ")}))`;
}
