// Parquet scores through embedded DuckDB: loaded only for a Parquet file, so reading CSV scores never
// loads DuckDB's native library. Internal to the package.
import { CiaError, type DataIssue, DataValidationError } from "@cia/core";
import type { DuckDBConnection, DuckDBDataChunk } from "@duckdb/node-api";
import type { TableIoErrorCode } from "./error-codes.js";
import { duckdb, duckdbConnection, sqlIdent } from "./duckdb-connection.js";
import { isValid, readDoubles, readStrings, vectorOf } from "./duckdb-vectors.js";
import { cleanLevels, enumSql } from "./parquet-levels.js";
import { parquetRowChunks } from "./parquet-row-slices.js";
import { openParquet } from "./parquet-source.js";
import { FirstSeen } from "./first-seen.js";
import { scatterScores } from "./scatter-scores.js";
import { scoresFromArrays } from "./scores-from-arrays.js";
import { type OnScoresRows, SCORE_COLUMNS, type ScoresColumns } from "./scores-columns.js";

const NUMERIC_TYPE =
  /^(DOUBLE|FLOAT|REAL|DECIMAL.*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;

/**
 * The Parquet half of `readScoresColumnar` (see there): the scores of `file`, pivoted, or a
 * `DataValidationError` with each issue's row number and column.
 *
 * @example
 * const s = await readScoresParquet("scores.parquet", "control", 20);
 */
export async function readScoresParquet(
  file: string,
  control: string,
  maxIssues: number,
  onRows?: OnScoresRows,
): Promise<ScoresColumns> {
  const issues: DataIssue[] = [];
  const add = (code: string, path: string, line: number, message: string): void => {
    if (issues.length < maxIssues) issues.push({ code, path: path === "" ? [] : [path], line, message });
  };
  const { names: header, types, rows } = await openParquet(file);
  const allowed = new Set<string>(["unit_id", "action", ...SCORE_COLUMNS]);
  for (const need of ["unit_id", "action", "tau_value", "tau_cost"])
    if (!header.includes(need))
      add(
        "missing_column",
        need,
        1,
        `missing column '${need}' (scores need unit_id, action, tau_value, tau_cost)`,
      );
  for (const h of header)
    if (!allowed.has(h)) add("unknown_column", h, 1, `unknown column '${h}' in a scores file`);
  if (issues.length > 0) throw new DataValidationError(issues, { file });
  const present = SCORE_COLUMNS.filter((c) => header.includes(c));
  const con: DuckDBConnection = await duckdbConnection();
  const num = (c: string) => {
    const t = types[header.indexOf(c)] ?? "";
    return NUMERIC_TYPE.test(t) ? `CAST(${sqlIdent(c)} AS DOUBLE)` : `TRY_CAST(${sqlIdent(c)} AS DOUBLE)`;
  };
  // The few distinct actions first (a dictionary scan), so each row's action arrives as a one-byte
  // ENUM code instead of a string to decode.
  const levels = await cleanLevels(con, file, "action");
  const actionSql = levels ? enumSql("action", levels) : `CAST(${sqlIdent("action")} AS VARCHAR)`;
  const select = [`CAST(${sqlIdent("unit_id")} AS VARCHAR)`, actionSql, ...present.map(num)].join(", ");
  const chunks = parquetRowChunks(con, file, select, rows);
  return await pivot(file, chunks, present, control, add, issues, maxIssues, rows, levels, onRows);
}

async function pivot(
  file: string,
  chunks: AsyncIterable<DuckDBDataChunk>,
  present: readonly string[],
  control: string,
  add: (code: string, path: string, line: number, message: string) => void,
  issues: DataIssue[],
  maxIssues: number,
  total: number,
  levels: readonly string[] | undefined,
  onRows: OnScoresRows | undefined,
): Promise<ScoresColumns> {
  const unitIndex = new FirstSeen();
  const actionIndex = new FirstSeen();
  // ENUM code -> action index in first-seen order (-1: not seen yet).
  const levelIndex = new Int32Array(levels?.length ?? 0).fill(-1);
  // The footer's row count sizes every column once (no doubling and copying as rows arrive).
  const unitOf = new Int32Array(total);
  const actionOf = new Int32Array(total);
  const values = present.map(() => new Float64Array(total));
  let rows = 0;
  const ids: (string | null)[] = [];
  const acts: (string | null)[] = [];
  let lastId: string | null = null;
  let lastU = -1;
  let lastAct: string | null = null;
  let lastA = -1;
  for await (const chunk of chunks) {
    const m = chunk.rowCount;
    if (m === 0) continue;
    if (rows + m > total)
      throw new CiaError<TableIoErrorCode>("duckdb_failed", `${file}: more rows than the footer's ${total}`);
    readStrings(vectorOf(chunk, 0), m, ids, 0);
    const codes = levels ? duckdb.vector_get_data(vectorOf(chunk, 1), m) : undefined;
    if (!levels) readStrings(vectorOf(chunk, 1), m, acts, 0);
    for (let i = 0; i < m; i++) {
      const line = rows + i + 1;
      const uid = ids[i] ?? null;
      if (uid !== lastId || uid === null) {
        const u = (uid ?? "").trim();
        if (u === "") add("missing_value", "unit_id", line, "unit_id is empty");
        lastU = unitIndex.indexOf(u);
        lastId = uid;
      }
      unitOf[rows + i] = lastU;
      if (codes !== undefined) {
        // A clean ENUM code: never empty, never null (checked on the distinct values).
        const e = codes[i]!;
        let k = levelIndex[e]!;
        if (k < 0) {
          k = actionIndex.indexOf(levels![e]!);
          levelIndex[e] = k;
        }
        actionOf[rows + i] = k;
        continue;
      }
      const act = acts[i] ?? null;
      if (act !== lastAct || act === null) {
        const a = (act ?? "").trim();
        if (a === "") add("missing_value", "action", line, "action is empty");
        lastA = actionIndex.indexOf(a);
        lastAct = act;
      }
      actionOf[rows + i] = lastA;
    }
    present.forEach((c, k) => {
      const out = values[k]!;
      const valid = readDoubles(vectorOf(chunk, 2 + k), m, out, rows);
      for (let i = 0; i < m; i++) {
        const x = out[rows + i]!;
        if (!Number.isFinite(x))
          add(
            "not_finite",
            c,
            rows + i + 1,
            `${c} must be a finite number, got '${isValid(valid, i) ? String(x) : ""}'`,
          );
      }
    });
    // Rows with an issue throw below: only clean ones are worth starting on.
    if (onRows !== undefined && issues.length === 0)
      onRows({ from: rows, to: rows + m, unitOf, actionOf, values, present });
    rows += m;
    if (issues.length >= maxIssues) break;
  }
  if (rows === 0) issues.push({ code: "empty_table", path: [], message: "the scores file has no rows" });
  // Never a silently short table: a stream that ended early is a failure, not the data.
  else if (rows < total && issues.length < maxIssues)
    throw new CiaError<TableIoErrorCode>("duckdb_failed", `${file}: read ${rows} of ${total} rows`);
  const names = actionIndex.keys;
  const arrays =
    issues.length < maxIssues
      ? scatterScores(
          rows,
          unitOf,
          actionOf,
          values,
          unitIndex.keys,
          names,
          control,
          add,
          () => issues.length >= maxIssues,
        )
      : [];
  if (issues.length > 0) {
    // Row order, as the row reader reports them.
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new DataValidationError(issues, { file });
  }
  return scoresFromArrays(file, unitIndex.keys, names, present, arrays);
}
