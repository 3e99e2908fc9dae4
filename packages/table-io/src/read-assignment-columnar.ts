import { type DataIssue, DataValidationError } from "@cia/core";
import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdb, duckdbConnection, sqlIdent, sqlString } from "./duckdb-connection.js";
import { decimalCastSql } from "./decimal-cast-sql.js";
import { isValid, readDoubles, readStrings, vectorOf } from "./duckdb-vectors.js";
import { cleanLevels, enumSql } from "./parquet-levels.js";
import { openParquet } from "./parquet-source.js";
import { plainCsvHeader, plainCsvSource } from "./plain-csv.js";
import { tableFileFormat } from "./table-file-format.js";

const NUMERIC_TYPE =
  /^(DOUBLE|FLOAT|REAL|DECIMAL.*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;

class NotPlain extends Error {}

/**
 * Row of each unit id: while the file lists units in the order of `unitIds` (as `cia allocate`
 * writes them) a pointer walks along and no hash map of a million ids is built; the first id out of
 * order builds the Map.
 */
class UnitRows {
  private next = 0;
  private map: Map<string, number> | undefined;
  constructor(private readonly unitIds: readonly string[]) {}
  rowOf(id: string): number {
    if (this.map === undefined) {
      const at = this.next;
      if (at > 0 && this.unitIds[at - 1] === id) return at - 1;
      if (this.unitIds[at] === id) {
        this.next = at + 1;
        return at;
      }
      this.map = new Map();
      this.unitIds.forEach((u, i) => {
        if (!this.map!.has(u)) this.map!.set(u, i);
      });
    }
    return this.map.get(id) ?? -1;
  }
}

/**
 * Read an assignment (`unit_id, action[, probability]`) column by column into an n x K probability
 * matrix over `actions`, rows in the order of `unitIds`: the runner's `readPolicy` contract (an
 * unknown unit or action, a probability outside [0, 1], two rows of one unit without
 * probabilities, a unit with no row, probabilities not summing to 1 are issues) with no object per
 * row. Parquet: always the answer, issues thrown with the 1-based row as `line` (a null probability
 * is out of range). Plain CSV (no quote, no CR, not gzipped): the answer when every check passes,
 * `undefined` otherwise, so the caller's row reader reports the exact lines.
 *
 * @example
 * const pi = await readAssignmentColumnar("assignment.parquet", table.unitIds, ["control", "offer_5"]);
 */
export async function readAssignmentColumnar(
  file: string,
  unitIds: readonly string[],
  actions: readonly string[],
  options: { maxIssues?: number } = {},
): Promise<Float64Array | undefined> {
  const parquet = tableFileFormat(file) === "parquet";
  if (!parquet && tableFileFormat(file) !== "csv") return undefined;
  const maxIssues = options.maxIssues ?? 20;
  const issues: DataIssue[] = [];
  const add = (code: string, path: string, line: number | undefined, message: string): void => {
    if (!parquet) throw new NotPlain();
    if (issues.length < maxIssues) issues.push({ code, path: [path], ...(line ? { line } : {}), message });
  };
  let header: string[];
  let types: string[] = [];
  if (parquet) ({ names: header, types } = await openParquet(file));
  else {
    const h = await plainCsvHeader(file);
    if (h === undefined) return undefined;
    header = h;
  }
  let con: DuckDBConnection | undefined;
  try {
    for (const need of ["unit_id", "action"])
      if (!header.includes(need))
        add("missing_column", need, 1, `missing column '${need}' (an assignment needs unit_id, action)`);
    if (issues.length > 0) throw new DataValidationError(issues, { file });
    const hasProb = header.includes("probability");
    con = await duckdbConnection();
    const source = parquet ? `read_parquet(${sqlString(file)})` : plainCsvSource(file, header);
    const levels = parquet ? await cleanLevels(con, file, "action") : undefined;
    const prob = !hasProb
      ? "1.0"
      : parquet
        ? NUMERIC_TYPE.test(types[header.indexOf("probability")] ?? "")
          ? `CAST(${sqlIdent("probability")} AS DOUBLE)`
          : `TRY_CAST(${sqlIdent("probability")} AS DOUBLE)`
        : decimalCastSql("probability");
    const select = [
      `CAST(${sqlIdent("unit_id")} AS VARCHAR)`,
      levels ? enumSql("action", levels) : `CAST(${sqlIdent("action")} AS VARCHAR)`,
      prob,
    ].join(", ");
    let result: Awaited<ReturnType<typeof con.stream>>;
    try {
      result = await con.stream(`SELECT ${select} FROM ${source}`);
    } catch (e) {
      if (!parquet) throw new NotPlain();
      throw e;
    }
    const K = actions.length;
    const n = unitIds.length;
    const actionCol = new Map(actions.map((a, k) => [a, k]));
    const levelCol = Int32Array.from(levels ?? [], (a) => actionCol.get(a) ?? -1);
    const rowsOf = new UnitRows(unitIds);
    const out = new Float64Array(n * K);
    const covered = new Uint8Array(n);
    const firstLine = new Int32Array(n);
    const ids: (string | null)[] = [];
    const acts: (string | null)[] = [];
    let p = new Float64Array(2048);
    let row = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof result.fetchChunk>>;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        if (!parquet) throw new NotPlain();
        throw e;
      }
      if (chunk === null || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (p.length < m) p = new Float64Array(m);
      readStrings(vectorOf(chunk, 0), m, ids, 0);
      const codes = levels ? duckdb.vector_get_data(vectorOf(chunk, 1), m) : undefined;
      if (!levels) readStrings(vectorOf(chunk, 1), m, acts, 0);
      const valid = readDoubles(vectorOf(chunk, 2), m, p, 0);
      for (let j = 0; j < m; j++) {
        const line = row + j + 1;
        const uid = (ids[j] ?? "").trim();
        const i = rowsOf.rowOf(uid);
        let k: number;
        let act: string;
        if (codes !== undefined) {
          k = levelCol[codes[j]!]!;
          act = levels![codes[j]!]!;
        } else {
          act = (acts[j] ?? "").trim();
          k = actionCol.get(act) ?? -1;
        }
        if (i < 0) add("unknown_unit", "unit_id", line, `unit '${uid}' is not in the logged data`);
        if (k < 0)
          add("unknown_action", "action", line, `unknown action '${act}' (known: ${actions.join(", ")})`);
        const x = p[j]!;
        if (hasProb && !(x >= 0 && x <= 1))
          add(
            "probability_out_of_range",
            "probability",
            line,
            `probability must be in [0, 1], got '${isValid(valid, j) ? String(x) : "null"}'`,
          );
        if (i >= 0 && k >= 0) {
          if (covered[i] && !hasProb)
            add(
              "duplicate_unit",
              "unit_id",
              line,
              `unit '${uid}' has two rows (a deterministic assignment has one row per unit)`,
            );
          if (!covered[i]) firstLine[i] = line;
          covered[i] = 1;
          out[i * K + k]! += hasProb ? x : 1;
        }
      }
      row += m;
      if (issues.length >= maxIssues) break;
    }
    if (row === 0) {
      if (!parquet) throw new NotPlain();
      issues.push({ code: "empty_table", path: [], message: "the assignment has no rows" });
    }
    for (let i = 0; i < n && issues.length < maxIssues; i++) {
      if (!covered[i]) {
        add(
          "missing_unit",
          "unit_id",
          undefined,
          `unit '${unitIds[i]}' of the logged data has no assignment row`,
        );
        continue;
      }
      if (!hasProb) continue;
      let s = 0;
      for (let k = 0; k < K; k++) s += out[i * K + k]!;
      if (Math.abs(s - 1) > 1e-6)
        add(
          "probabilities_do_not_sum_to_one",
          "probability",
          firstLine[i]!,
          `probabilities of unit '${unitIds[i]}' sum to ${s}, not 1`,
        );
    }
    if (issues.length > 0) throw new DataValidationError(issues, { file });
    return out;
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    if (!parquet && !(e instanceof DataValidationError)) return undefined;
    throw e;
  }
}
