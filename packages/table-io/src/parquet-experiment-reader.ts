// The experiment table from Parquet, validated column by column as @cia/logging-schema's reader
// validates CSV rows (same codes, same messages), with the 1-based row number as the line.
// Internal to the package.
import type { DataIssue } from "@cia/core";
import {
  type ExperimentTable,
  type ExperimentTableColumn,
  type RawFeature,
  experimentHeader,
  isMissingCell,
} from "@cia/logging-schema";
import type { DuckDBDataChunk } from "@duckdb/node-api";
import { duckdb, sqlIdent, sqlString, withConnection } from "./duckdb-connection.js";
import { isValid, readDoubles, readStrings, validityOf, vectorOf } from "./duckdb-vectors.js";
import type { TableIoIssueCode } from "./error-codes.js";

/** What the reader checks, as `readExperimentTable` takes it. */
export interface ExperimentChecks {
  require?: readonly ExperimentTableColumn[] | undefined;
  features?: readonly string[] | undefined;
  knownActions?: readonly string[] | undefined;
  maxIssues?: number | undefined;
}

type Kind =
  | "id"
  | "action"
  | "actionCodes"
  | "number"
  | "numberText"
  | "feature"
  | "featureText"
  | "featureCodes";
interface Column {
  name: string;
  kind: Kind;
  sql: string;
  /** For the `...Codes` kinds: the column's distinct values, which its ENUM codes index. */
  levels?: (string | null)[];
  /** For `featureCodes`: each level as a feature value (the CSV cell rule applied once per level). */
  values?: RawFeature[];
  /** For `actionCodes`: each level's action index once seen (-1: not yet, or not an action). */
  index?: Int32Array;
}

const NUMERIC =
  /^(DOUBLE|FLOAT|REAL|DECIMAL.*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BOOLEAN)$/;

/** A reserved numeric cell given as text: `Number` once trimmed, empty is NaN (the CSV rule). */
function textToNumber(v: string | null): number {
  if (v === null) return Number.NaN;
  const t = v.trim();
  return t === "" ? Number.NaN : Number(t);
}

/** A feature cell given as text: missing is null, a finite number a number, the rest a trimmed string. */
function textToFeature(v: string | null): RawFeature {
  if (v === null || isMissingCell(v)) return null;
  const t = v.trim();
  const x = Number(t);
  return Number.isFinite(x) ? x : t;
}

/** A Parquet file read as DuckDB sees it: the column names and types, and the row count. */
export async function describeParquet(
  file: string,
): Promise<{ names: string[]; types: string[]; rows: number }> {
  return withConnection(async (con) => {
    const source = `read_parquet(${sqlString(file)})`;
    const d = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const names: string[] = [];
    const types: string[] = [];
    for (const row of d.getRowObjectsJS()) {
      names.push(String(row.column_name));
      types.push(String(row.column_type));
    }
    const c = await con.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${source}`);
    return { names, types, rows: Number(c.getRowsJS()[0]![0]) };
  });
}

/**
 * The rows (1-based) whose unit_id an earlier row already has, in row order, with that first row:
 * one hash aggregate in DuckDB instead of a JavaScript Map of every id. Empty ids are left to the
 * `missing_value` check.
 */
export async function duplicateUnits(
  source: TableSource,
  limit: number,
): Promise<{ unitId: string; row: number; first: number }[]> {
  const r = await withConnection((con) =>
    con.runAndReadAll(`WITH t AS (SELECT CAST(unit_id AS VARCHAR) AS u, ${source.row} AS r FROM ${source.from}),
    d AS (SELECT u, min(r) AS first FROM t WHERE u IS NOT NULL AND trim(u) <> '' GROUP BY u HAVING count(*) > 1)
    SELECT t.u, CAST(t.r AS DOUBLE), CAST(d.first AS DOUBLE) FROM t JOIN d USING (u) WHERE t.r > d.first ORDER BY t.r LIMIT ${limit}`),
  );
  return r
    .getRowsJS()
    .map(([u, row, first]) => ({ unitId: String(u), row: Number(row), first: Number(first) }));
}

/**
 * Where the rows come from in SQL: a relation (`read_parquet(...)`, a staged table) and the
 * expression of each row's 1-based number in it.
 */
export interface TableSource {
  from: string;
  row: string;
}

/** A Parquet file as a {@link TableSource}. */
export function parquetSource(file: string): TableSource {
  return { from: `read_parquet(${sqlString(file)}, file_row_number = true)`, row: "file_row_number + 1" };
}

/**
 * Validates an experiment table arriving as DuckDB chunks and gathers it into the columnar
 * {@link ExperimentTable}, one segment (`take`) at a time. Issues are collected up to `maxIssues`.
 */
export class ParquetExperimentReader {
  readonly issues: (DataIssue & { code: TableIoIssueCode })[] = [];
  readonly columns: Column[] = [];
  readonly featureNames: string[];
  private readonly maxIssues: number;
  private readonly known: Map<string, number> | undefined;
  private readonly actionIndex: Map<string, number>;
  private readonly at: Record<"id" | "action" | "propensity" | "value" | "cost", number>;
  private readonly featureAt: number[];
  private scratchText: (string | null)[] = [];
  private scratchNum = new Float64Array(0);
  private row = 0;
  // The segment being filled.
  private seg!: {
    n: number;
    lines: Int32Array;
    unitIds: string[];
    action?: Int32Array;
    propensity?: Float64Array;
    value?: Float64Array;
    cost?: Float64Array;
    features: RawFeature[][];
    filled: number;
  };

  constructor(
    readonly file: string,
    names: readonly string[],
    types: readonly string[],
    checks: ExperimentChecks,
  ) {
    this.maxIssues = checks.maxIssues ?? 20;
    this.known = checks.knownActions ? new Map(checks.knownActions.map((a, k) => [a, k])) : undefined;
    this.actionIndex = this.known ?? new Map();
    const index = (name: string) => names.indexOf(name);
    const header = experimentHeader(names, checks);
    for (const issue of header.issues) this.add(issue.code, issue.field, 1, issue.message);
    this.featureNames = header.featureNames;
    const typeOf = (name: string) => types[index(name)] ?? "VARCHAR";
    const push = (name: string, kind: Kind, sql: string) => {
      this.columns.push({ name, kind, sql });
      return this.columns.length - 1;
    };
    const text = (name: string) => `CAST(${sqlIdent(name)} AS VARCHAR)`;
    const dbl = (name: string) => `CAST(${sqlIdent(name)} AS DOUBLE)`;
    const number = (name: string) =>
      index(name) < 0
        ? -1
        : NUMERIC.test(typeOf(name))
          ? push(name, "number", dbl(name))
          : push(name, "numberText", text(name));
    this.at = {
      id: index("unit_id") < 0 ? -1 : push("unit_id", "id", text("unit_id")),
      action: index("action") < 0 ? -1 : push("action", "action", text("action")),
      propensity: number("propensity"),
      value: number("value"),
      cost: number("cost"),
    };
    this.featureAt = this.featureNames.map((f) =>
      index(f) < 0
        ? -1
        : NUMERIC.test(typeOf(f))
          ? push(f, "feature", dbl(f))
          : push(f, "featureText", text(f)),
    );
  }

  /**
   * Text columns with few distinct values (the action, categorical features) arrive as one-byte
   * ENUM codes instead of one string per row: a dictionary scan per column first, then each value
   * is decoded and converted once. Call before reading.
   */
  async useDictionaries(source: TableSource): Promise<void> {
    await withConnection(async (con) => {
      for (const c of this.columns) {
        if (c.kind !== "action" && c.kind !== "featureText") continue;
        const d = await con.runAndReadAll(
          `SELECT DISTINCT CAST(${sqlIdent(c.name)} AS VARCHAR) FROM ${source.from} LIMIT 256`,
        );
        const levels = d.getRowsJS().map((r) => (r[0] === null ? null : String(r[0])));
        if (levels.length >= 256) continue;
        const named = levels.filter((v): v is string => v !== null);
        c.sql = `CAST(CAST(${sqlIdent(c.name)} AS VARCHAR) AS ENUM(${named.map(sqlString).join(", ")}))`;
        c.levels = named;
        if (c.kind === "action") {
          c.kind = "actionCodes";
          c.index = new Int32Array(named.length).fill(-1);
        } else {
          c.kind = "featureCodes";
          c.values = named.map(textToFeature);
        }
      }
    });
  }

  /** True once `maxIssues` issues are collected. */
  get full(): boolean {
    return this.issues.length >= this.maxIssues;
  }

  /** The SELECT list, in the reader's column order. */
  get selectList(): string {
    return this.columns.map((c) => c.sql).join(", ");
  }

  /** The actions seen so far (or the known ones), in index order. */
  get actionNames(): string[] {
    return [...this.actionIndex.keys()];
  }

  /** Record the rows whose unit already has a row (from {@link duplicateUnits}), as the CSV reader words it. */
  addDuplicates(dups: readonly { unitId: string; row: number; first: number }[]): void {
    const room = this.maxIssues;
    for (const d of dups)
      this.issues.push({
        code: "duplicate_unit",
        path: ["unit_id"],
        line: d.row,
        message: `unit '${d.unitId}' already has a row (line ${d.first}): a table has one row per unit (dedupe it, or give repeated decisions their own unit_id)`,
      });
    // Row order, as a row-by-row reader would have found them, then the cap.
    this.issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    this.issues.length = Math.min(this.issues.length, room);
  }

  add(code: TableIoIssueCode, field: string | undefined, line: number, message: string): void {
    if (this.issues.length < this.maxIssues)
      this.issues.push({ code, path: field === undefined ? [] : [field], line, message });
  }

  /** Start a segment of `n` rows. */
  begin(n: number): void {
    this.seg = {
      n,
      lines: new Int32Array(n),
      unitIds: new Array<string>(n),
      features: this.featureNames.map(() => new Array<RawFeature>(n)),
      filled: 0,
    };
    if (this.at.action >= 0) this.seg.action = new Int32Array(n);
    if (this.at.propensity >= 0) this.seg.propensity = new Float64Array(n);
    if (this.at.value >= 0) this.seg.value = new Float64Array(n);
    if (this.at.cost >= 0) this.seg.cost = new Float64Array(n);
  }

  /** Rows still free in the segment. */
  get room(): number {
    return this.seg.n - this.seg.filled;
  }

  /** Copy rows `from .. from + rows` of a DuckDB chunk (columns in {@link selectList} order) into the segment. */
  take(chunk: DuckDBDataChunk, from: number, rows: number): void {
    const s = this.seg;
    const at = s.filled;
    const total = chunk.rowCount;
    if (this.scratchText.length < total) this.scratchText = new Array(total);
    if (this.scratchNum.length < total) this.scratchNum = new Float64Array(total);
    const text = this.scratchText;
    const num = this.scratchNum;
    for (let i = 0; i < rows; i++) s.lines[at + i] = this.row + i + 1;
    if (this.at.id >= 0) {
      readStrings(vectorOf(chunk, this.at.id), total, text, 0);
      for (let i = 0; i < rows; i++) {
        const id = text[from + i] ?? null;
        if (id === null || id.trim() === "")
          this.add("missing_value", "unit_id", this.row + i + 1, "unit_id is empty");
        s.unitIds[at + i] = id ?? "";
      }
    } else for (let i = 0; i < rows; i++) s.unitIds[at + i] = "";
    const actionCol = this.at.action >= 0 ? this.columns[this.at.action]! : undefined;
    if (actionCol?.kind === "actionCodes") {
      const v = vectorOf(chunk, this.at.action);
      const codes = duckdb.vector_get_data(v, total);
      const valid = validityOf(v, total);
      const index = actionCol.index!;
      for (let i = 0; i < rows; i++) {
        const line = this.row + i + 1;
        if (!isValid(valid, from + i)) {
          s.action![at + i] = this.action(null, line);
          continue;
        }
        const e = codes[from + i]!;
        let k = index[e]!;
        // First sight of a level numbers it (first-appearance order); a level that is not an
        // action (empty, unknown) stays -1 and reports each of its rows.
        if (k < 0) {
          k = this.action(actionCol.levels![e]!, line);
          if (k >= 0) index[e] = k;
        }
        s.action![at + i] = k;
      }
    } else if (this.at.action >= 0) {
      readStrings(vectorOf(chunk, this.at.action), total, text, 0);
      let last: string | null = null;
      let lastK = -1;
      for (let i = 0; i < rows; i++) {
        const raw = text[from + i] ?? null;
        // Consecutive rows often share an action: skip the trim and the lookup.
        if (raw !== null && raw === last) {
          s.action![at + i] = lastK;
          continue;
        }
        const k = this.action(raw, this.row + i + 1);
        s.action![at + i] = k;
        last = raw;
        lastK = k;
      }
    }
    const reserved = [
      ["propensity", s.propensity],
      ["value", s.value],
      ["cost", s.cost],
    ] as const;
    for (const [field, out] of reserved) {
      const c = this.at[field];
      if (c < 0 || out === undefined) continue;
      const kind = this.columns[c]!.kind;
      let raw: (i: number) => string;
      if (kind === "number") {
        const valid = readDoubles(vectorOf(chunk, c), total, num, 0);
        for (let i = 0; i < rows; i++) out[at + i] = num[from + i]!;
        raw = (i) => (isValid(valid, from + i) ? String(num[from + i]) : "null");
      } else {
        readStrings(vectorOf(chunk, c), total, text, 0);
        for (let i = 0; i < rows; i++) out[at + i] = textToNumber(text[from + i] ?? null);
        raw = (i) => `${text[from + i] ?? null}`;
      }
      for (let i = 0; i < rows; i++) {
        const x = out[at + i]!;
        const line = this.row + i + 1;
        if (field === "propensity") {
          if (!(x > 0 && x <= 1))
            this.add(
              "propensity_out_of_range",
              "propensity",
              line,
              `propensity must be in (0, 1], got '${raw(i)}'`,
            );
        } else if (!Number.isFinite(x))
          this.add("not_finite", field, line, `${field} must be a finite number, got '${raw(i)}'`);
        else if (field === "cost" && x < 0)
          this.add(
            "negative_cost",
            "cost",
            line,
            `cost must be >= 0, got '${raw(i)}' (a refund or clawback is not a cost of the offer: net it out upstream)`,
          );
      }
    }
    for (let j = 0; j < this.featureAt.length; j++) {
      const c = this.featureAt[j]!;
      const out = s.features[j]!;
      if (c < 0) {
        for (let i = 0; i < rows; i++) out[at + i] = null;
        continue;
      }
      const kind = this.columns[c]!.kind;
      if (kind === "featureCodes") {
        const v = vectorOf(chunk, c);
        const codes = duckdb.vector_get_data(v, total);
        const valid = validityOf(v, total);
        const values = this.columns[c]!.values!;
        for (let i = 0; i < rows; i++)
          out[at + i] = isValid(valid, from + i) ? values[codes[from + i]!]! : null;
      } else if (kind === "feature") {
        readDoubles(vectorOf(chunk, c), total, num, 0);
        for (let i = 0; i < rows; i++) {
          const x = num[from + i]!;
          out[at + i] = Number.isFinite(x) ? x : null;
        }
      } else {
        readStrings(vectorOf(chunk, c), total, text, 0);
        for (let i = 0; i < rows; i++) out[at + i] = textToFeature(text[from + i] ?? null);
      }
    }
    s.filled += rows;
    this.row += rows;
  }

  private action(raw: string | null, line: number): number {
    const a = (raw ?? "").trim();
    if (a === "") {
      this.add("missing_value", "action", line, "action is empty");
      return -1;
    }
    let k = this.actionIndex.get(a);
    if (k !== undefined) return k;
    if (this.known) {
      const names = [...this.known.keys()].join(", ");
      this.add("unknown_action", "action", line, `unknown action '${a}' (known: ${names})`);
      return -1;
    }
    k = this.actionIndex.size;
    this.actionIndex.set(a, k);
    return k;
  }

  /** The filled segment as a table (its rows only). */
  finish(): ExperimentTable {
    const s = this.seg;
    const n = s.filled;
    const cut = <T extends Int32Array | Float64Array>(a: T): T =>
      a.length === n ? a : (a.subarray(0, n) as T);
    const cutList = <T>(a: T[]): T[] => (a.length === n ? a : a.slice(0, n));
    const features: Record<string, RawFeature[]> = {};
    this.featureNames.forEach((f, j) => {
      features[f] = cutList(s.features[j]!);
    });
    const table: ExperimentTable = {
      file: this.file,
      n,
      lines: cut(s.lines),
      unitIds: cutList(s.unitIds),
      featureNames: [...this.featureNames],
      features,
    };
    if (s.action) {
      table.action = cut(s.action);
      table.actionNames = this.actionNames;
    }
    if (s.propensity) table.propensity = cut(s.propensity);
    if (s.value) table.value = cut(s.value);
    if (s.cost) table.cost = cut(s.cost);
    return table;
  }
}
