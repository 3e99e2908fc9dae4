import { type DataIssue, DataValidationError } from "@cia/core";
import type { DuckDBResult } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import { duckdbConnection, sqlIdent, sqlString } from "./duckdb-connection.js";
import { decimalCastSql } from "./decimal-cast-sql.js";
import { isValid, readDoubles, readStrings, vectorOf } from "./duckdb-vectors.js";
import { cleanLevels, enumSql } from "./parquet-levels.js";
import { openParquet } from "./parquet-source.js";
import { plainCsvHeader, plainCsvSource } from "./plain-csv.js";
import { SCORE_COLUMNS, type ScoresColumns } from "./scores-columns.js";
import { tableFileFormat } from "./table-file-format.js";

/** Options of {@link readScoresColumnar}. */
export interface ReadScoresColumnarOptions {
  /** The no-offer action, which has no scores rows (default `control`). */
  control?: string | undefined;
  /** Stop after this many issues (default 20). */
  maxIssues?: number | undefined;
}

const NUMERIC_TYPE =
  /^(DOUBLE|FLOAT|REAL|DECIMAL.*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;

/**
 * Names numbered in order of first appearance. While they arrive in increasing order (ids sorted,
 * as score writes them for sorted tables) each is new by construction and no hash map is built. From
 * the first one out of order on, that sorted prefix is searched by bisection and only later names
 * go into a Map: ids sorted as text until the digits widen (u999999, then u1000000) cost one Map
 * entry per later unit, not a Map of the million before.
 */
class FirstSeen {
  readonly keys: string[] = [];
  /** keys[0, sorted) are increasing (all of them until a name arrives out of order). */
  private sorted = 0;
  private map: Map<string, number> | undefined;

  indexOf(s: string): number {
    const keys = this.keys;
    if (this.map === undefined) {
      const n = keys.length;
      if (n === 0 || s > keys[n - 1]!) {
        keys.push(s);
        return n;
      }
      if (s === keys[n - 1]) return n - 1;
      this.sorted = n;
      this.map = new Map();
    }
    let lo = 0;
    let hi = this.sorted;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.sorted && keys[lo] === s) return lo;
    let k = this.map.get(s);
    if (k === undefined) {
      k = keys.length;
      keys.push(s);
      this.map.set(s, k);
    }
    return k;
  }
}

/** Why a CSV goes to the row reader instead: a signal, never shown to users. */
class NotPlain extends Error {}

/**
 * Read and validate a scores file column by column through embedded DuckDB, pivoted to
 * {@link ScoresColumns}, with no object per row.
 *
 * Parquet: always the answer. Issues (a missing or unknown column, an empty id or action, a control
 * row, a non-finite score, a duplicated (unit, action) pair) throw a `DataValidationError`, each
 * with the 1-based row number as `line` and the column as path, in the runner's words.
 *
 * CSV: the answer when the file is plain (no quote and no CR anywhere, not gzipped) and every check
 * passes; `undefined` otherwise, and the caller reads the file with its row reader, which reports
 * each issue with the exact line (quoted cells can span lines, so only that reader counts them).
 * Numbers are taken only when they spell a decimal number (the CSV reader's rule), so both readers
 * agree on every file this one accepts.
 *
 * @example
 * const s = (await readScoresColumnar("scores.parquet", { control: "control" }))!;
 * s.tauValue[i * s.actions.length + a];
 */
export async function readScoresColumnar(
  file: string,
  options: ReadScoresColumnarOptions = {},
): Promise<ScoresColumns | undefined> {
  const control = options.control ?? "control";
  const maxIssues = options.maxIssues ?? 20;
  const parquet = tableFileFormat(file) === "parquet";
  if (!parquet && tableFileFormat(file) !== "csv") return undefined;
  const issues: DataIssue[] = [];
  const add = (code: string, path: string, line: number, message: string): void => {
    if (!parquet) throw new NotPlain();
    if (issues.length < maxIssues) issues.push({ code, path: path === "" ? [] : [path], line, message });
  };
  let header: string[];
  let types: string[] = [];
  if (parquet) ({ names: header, types } = await openParquet(file));
  else {
    const h = await plainCsvHeader(file);
    if (h === undefined) return undefined;
    header = h;
  }
  const allowed = new Set<string>(["unit_id", "action", ...SCORE_COLUMNS]);
  let con: DuckDBConnection | undefined;
  try {
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
    if (!parquet && new Set(header).size !== header.length) throw new NotPlain();
    if (issues.length > 0) throw new DataValidationError(issues, { file });
    const present = SCORE_COLUMNS.filter((c) => header.includes(c));
    con = await duckdbConnection();
    let source: string;
    const num = (c: string) => {
      if (parquet) {
        const t = types[header.indexOf(c)] ?? "";
        return NUMERIC_TYPE.test(t) ? `CAST(${sqlIdent(c)} AS DOUBLE)` : `TRY_CAST(${sqlIdent(c)} AS DOUBLE)`;
      }
      return decimalCastSql(c);
    };
    if (parquet) source = `read_parquet(${sqlString(file)})`;
    else {
      source = plainCsvSource(file, header);
    }
    // Parquet: the few distinct actions first (a dictionary scan), so each row's action arrives as
    // a one-byte ENUM code instead of a string to decode.
    const levels = parquet ? await cleanLevels(con, file, "action") : undefined;
    const actionSql = levels ? enumSql("action", levels) : `CAST(${sqlIdent("action")} AS VARCHAR)`;
    const select = [`CAST(${sqlIdent("unit_id")} AS VARCHAR)`, actionSql, ...present.map(num)].join(", ");
    let result: DuckDBResult;
    try {
      result = await con.stream(`SELECT ${select} FROM ${source}`);
    } catch (e) {
      if (!parquet) throw new NotPlain();
      throw e;
    }
    return await pivot(file, result, present, control, add, issues, maxIssues, parquet, levels);
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    if (!parquet && !(e instanceof DataValidationError)) return undefined;
    throw e;
  }
}

async function pivot(
  file: string,
  result: DuckDBResult,
  present: readonly string[],
  control: string,
  add: (code: string, path: string, line: number, message: string) => void,
  issues: DataIssue[],
  maxIssues: number,
  parquet: boolean,
  levels: readonly string[] | undefined,
): Promise<ScoresColumns> {
  const unitIndex = new FirstSeen();
  const actionIndex = new FirstSeen();
  // ENUM code -> action index in first-seen order (-1: not seen yet).
  const levelIndex = new Int32Array(levels?.length ?? 0).fill(-1);
  let cap = 1 << 16;
  let unitOf = new Int32Array(cap);
  let actionOf = new Int32Array(cap);
  let values = present.map(() => new Float64Array(cap));
  let rows = 0;
  const ids: (string | null)[] = [];
  const acts: (string | null)[] = [];
  let scratch = new Float64Array(2048);
  let lastId: string | null = null;
  let lastU = -1;
  let lastAct: string | null = null;
  let lastA = -1;
  for (;;) {
    let chunk: Awaited<ReturnType<DuckDBResult["fetchChunk"]>>;
    try {
      chunk = await result.fetchChunk();
    } catch (e) {
      // A CSV cell DuckDB cannot split (a ragged row): the row reader says where.
      if (!parquet) throw new NotPlain();
      throw e;
    }
    if (chunk === null || chunk.rowCount === 0) break;
    const m = chunk.rowCount;
    if (rows + m > cap) {
      while (rows + m > cap) cap *= 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(cap);
        b.set(a.subarray(0, rows));
        return b;
      };
      unitOf = grow(unitOf, (n) => new Int32Array(n));
      actionOf = grow(actionOf, (n) => new Int32Array(n));
      values = values.map((v) => grow(v, (n) => new Float64Array(n)));
    }
    if (scratch.length < m) scratch = new Float64Array(m);
    readStrings(vectorOf(chunk, 0), m, ids, 0);
    const codes = levels ? duckdb.vector_get_data(vectorOf(chunk, 1), m) : undefined;
    if (!levels) readStrings(vectorOf(chunk, 1), m, acts, 0);
    for (let i = 0; i < m; i++) {
      const line = rows + i + 1;
      const uid = ids[i] ?? null;
      const act = acts[i] ?? null;
      if (uid !== lastId || uid === null) {
        const u = (uid ?? "").trim();
        if (u === "") add("missing_value", "unit_id", line, "unit_id is empty");
        const k = unitIndex.indexOf(u);
        lastId = uid;
        lastU = k;
      }
      if (codes !== undefined) {
        // A clean ENUM code: never empty, never null (checked on the distinct values).
        const e = codes[i]!;
        let k = levelIndex[e]!;
        if (k < 0) {
          k = actionIndex.indexOf(levels![e]!);
          levelIndex[e] = k;
        }
        unitOf[rows + i] = lastU;
        actionOf[rows + i] = k;
        continue;
      }
      if (act !== lastAct || act === null) {
        const a = (act ?? "").trim();
        if (a === "") add("missing_value", "action", line, "action is empty");
        const k = actionIndex.indexOf(a);
        lastAct = act;
        lastA = k;
      }
      unitOf[rows + i] = lastU;
      actionOf[rows + i] = lastA;
    }
    present.forEach((c, k) => {
      const valid = readDoubles(vectorOf(chunk!, 2 + k), m, scratch, 0);
      const out = values[k]!;
      for (let i = 0; i < m; i++) {
        const x = scratch[i]!;
        out[rows + i] = x;
        if (!Number.isFinite(x))
          add(
            "not_finite",
            c,
            rows + i + 1,
            `${c} must be a finite number, got '${isValid(valid, i) ? String(x) : ""}'`,
          );
      }
    });
    rows += m;
    if (issues.length >= maxIssues) break;
  }
  if (rows === 0) {
    if (!parquet) throw new NotPlain();
    issues.push({ code: "empty_table", path: [], message: "the scores file has no rows" });
  }
  const names = actionIndex.keys;
  const controlAt = names.indexOf(control);
  const n = unitIndex.keys.length;
  const A = names.length;
  const arrays = present.map(() => new Float64Array(n * A).fill(Number.NaN));
  const filled = new Uint8Array(n * A);
  for (let r = 0; r < rows && issues.length < maxIssues; r++) {
    const a = actionOf[r]!;
    if (a === controlAt)
      add(
        "control_row",
        "action",
        r + 1,
        `scores have no row for the control action '${control}' (its effect is 0 by definition)`,
      );
    const cell = unitOf[r]! * A + a;
    if (filled[cell])
      add(
        "duplicate_row",
        "action",
        r + 1,
        `duplicate scores for unit '${unitIndex.keys[unitOf[r]!]}' and action '${names[a]}'`,
      );
    filled[cell] = 1;
    for (let k = 0; k < present.length; k++) arrays[k]![cell] = values[k]![r]!;
  }
  if (issues.length > 0) {
    // Row order, as the row reader reports them.
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new DataValidationError(issues, { file });
  }
  const col = (name: string) => {
    const k = present.indexOf(name);
    return k < 0 ? undefined : arrays[k];
  };
  const out: ScoresColumns = {
    file,
    unitIds: unitIndex.keys,
    actions: names,
    tauValue: col("tau_value")!,
    tauCost: col("tau_cost")!,
  };
  const lower = col("tau_value_lower");
  const upper = col("tau_value_upper");
  const costLower = col("tau_cost_lower");
  const costUpper = col("tau_cost_upper");
  if (lower) out.tauValueLower = lower;
  if (upper) out.tauValueUpper = upper;
  if (costLower) out.tauCostLower = costLower;
  if (costUpper) out.tauCostUpper = costUpper;
  return out;
}
