import type { DataIssue } from "@cia/core";
import type { LoggingSchemaIssueCode } from "./error-codes.js";
import type { ExperimentTable, ExperimentTableColumn, RawFeature } from "./experiment-table.js";
import { experimentHeader } from "./experiment-header.js";
import { isMissingCell } from "./missing-cell.js";

/** What the builder checks, as `readExperimentTable` takes it. */
export interface ExperimentTableChecks {
  require?: readonly ExperimentTableColumn[] | undefined;
  features?: readonly string[] | undefined;
  knownActions?: readonly string[] | undefined;
  maxIssues?: number | undefined;
}

/** An issue with this package's codes. */
export type TableIssue = DataIssue & { code: LoggingSchemaIssueCode };

/** A reserved numeric cell: numbers as they are, strings through `Number` once trimmed, the rest NaN. */
/**
 * A decimal number as a cell writes it: `12`, `-0.5`, `1e-3`, `Infinity` (refused later as not
 * finite), spaces around it trimmed (as every cell is). No hex (`0x10`), binary or octal:
 * `Number()` takes those silently, and a hex cell is a sign of a broken export, not a value.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?Infinity$|^NaN$/;

function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const t = v.trim();
    return DECIMAL.test(t) ? Number(t) : Number.NaN;
  }
  return Number.NaN;
}

/** A feature cell: missing (see `isMissingCell`) is null, a finite number a number, the rest a trimmed string. */
function toFeature(v: unknown): RawFeature {
  if (typeof v === "string") {
    if (isMissingCell(v)) return null;
    const t = v.trim();
    // A hex (or binary, octal) number stays the text it is, so a numeric feature refuses it.
    const x = DECIMAL.test(t) ? Number(t) : Number.NaN;
    return Number.isFinite(x) ? x : t;
  }
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  return toFeature(String(v));
}

/**
 * Validates rows of an experiment table and gathers them into columns: the header once, then each
 * row's values in header order (CSV cells, or a JSONL object's values). Issues are collected up to
 * `maxIssues`; `full` says when to stop reading. Internal to the package.
 */
export class ExperimentTableBuilder {
  readonly issues: TableIssue[] = [];
  private readonly maxIssues: number;
  private readonly known: Map<string, number> | undefined;
  private readonly actionIndex: Map<string, number>;
  private started = false;
  private id = -1;
  private act = -1;
  private prop = -1;
  private val = -1;
  private cst = -1;
  private featureNames: string[] = [];
  private featureCols: number[] = [];
  private columns: RawFeature[][] = [];
  private readonly unitIds: string[] = [];
  /** The line each unit_id was first seen on: a second row of one unit is an issue. */
  private readonly unitLine = new Map<string, number>();
  private readonly lines: number[] = [];
  private readonly actions: number[] = [];
  private readonly propensity: number[] = [];
  private readonly value: number[] = [];
  private readonly cost: number[] = [];

  constructor(
    private readonly file: string,
    private readonly checks: ExperimentTableChecks,
  ) {
    this.maxIssues = checks.maxIssues ?? 20;
    this.known = checks.knownActions ? new Map(checks.knownActions.map((a, k) => [a, k])) : undefined;
    this.actionIndex = this.known ?? new Map();
  }

  /** True once `maxIssues` issues are collected: reading further cannot change the outcome. */
  get full(): boolean {
    return this.issues.length >= this.maxIssues;
  }

  /** True once the header has been seen. */
  get hasHeader(): boolean {
    return this.started;
  }

  /** Record an issue (beyond `maxIssues` it is dropped: the error already lists that many). */
  add(code: LoggingSchemaIssueCode, field: string | undefined, line: number, message: string): void {
    if (this.issues.length < this.maxIssues)
      this.issues.push({ code, path: field === undefined ? [] : [field], line, message });
  }

  /** The column names (CSV header, or the first JSONL object's keys). False: header issues, stop. */
  header(names: readonly string[]): boolean {
    this.started = true;
    const at = (name: string) => names.indexOf(name);
    this.id = at("unit_id");
    this.act = at("action");
    this.prop = at("propensity");
    this.val = at("value");
    this.cst = at("cost");
    const header = experimentHeader(names, this.checks);
    for (const issue of header.issues) this.add(issue.code, issue.field, 1, issue.message);
    this.featureNames = header.featureNames;
    this.featureCols = this.featureNames.map(at);
    this.columns = this.featureNames.map(() => []);
    return this.issues.length === 0;
  }

  /** One data row: its 1-based line and its values in header order. */
  row(line: number, values: ArrayLike<unknown>): void {
    const id = this.id >= 0 ? values[this.id] : undefined;
    if (id === undefined || id === null || String(id).trim() === "")
      this.add("missing_value", "unit_id", line, "unit_id is empty");
    const uid = String(id ?? "");
    const first = this.unitLine.get(uid);
    if (first !== undefined && uid.trim() !== "")
      this.add(
        "duplicate_unit",
        "unit_id",
        line,
        `unit '${uid}' already has a row (line ${first}): a table has one row per unit (dedupe it, or give repeated decisions their own unit_id)`,
      );
    else this.unitLine.set(uid, line);
    this.unitIds.push(uid);
    this.lines.push(line);
    if (this.act >= 0) this.actions.push(this.action(values[this.act], line));
    if (this.prop >= 0) {
      const raw = values[this.prop];
      const p = toNumber(raw);
      if (!(p > 0 && p <= 1))
        this.add("propensity_out_of_range", "propensity", line, `propensity must be in (0, 1], got '${raw}'`);
      // A subnormal propensity has an infinite inverse: every weighted estimate would be NaN.
      else if (!Number.isFinite(1 / p))
        this.add(
          "propensity_out_of_range",
          "propensity",
          line,
          `propensity ${raw} is too small: its weight 1/p is not a finite number (log the probability the policy really used; below about 6e-309 no estimate can use it)`,
        );
      this.propensity.push(p);
    }
    if (this.val >= 0) this.value.push(this.finite(values[this.val], "value", line));
    if (this.cst >= 0) {
      const c = this.finite(values[this.cst], "cost", line);
      if (c < 0)
        this.add(
          "negative_cost",
          "cost",
          line,
          `cost must be >= 0, got '${values[this.cst]}' (a refund or clawback is not a cost of the offer: net it out upstream)`,
        );
      this.cost.push(c);
    }
    const cols = this.featureCols;
    for (let j = 0; j < cols.length; j++) this.columns[j]!.push(toFeature(values[cols[j]!]));
  }

  private action(raw: unknown, line: number): number {
    const a = String(raw ?? "").trim();
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

  private finite(raw: unknown, field: "value" | "cost", line: number): number {
    const x = toNumber(raw);
    if (!Number.isFinite(x))
      this.add("not_finite", field, line, `${field} must be a finite number, got '${raw}'`);
    return x;
  }

  /** The table, or undefined when there were issues (read `issues`). */
  finish(): ExperimentTable | undefined {
    if (this.unitIds.length === 0 && this.issues.length === 0)
      this.issues.push({ code: "empty_table", path: [], message: "the table has no rows" });
    if (this.issues.length > 0) return undefined;
    const features: Record<string, RawFeature[]> = {};
    this.featureNames.forEach((f, j) => {
      features[f] = this.columns[j]!;
    });
    const table: ExperimentTable = {
      file: this.file,
      n: this.unitIds.length,
      lines: Int32Array.from(this.lines),
      unitIds: this.unitIds,
      featureNames: this.featureNames,
      features,
    };
    if (this.act >= 0) {
      table.action = Int32Array.from(this.actions);
      table.actionNames = [...this.actionIndex.keys()];
    }
    if (this.prop >= 0) table.propensity = Float64Array.from(this.propensity);
    if (this.val >= 0) table.value = Float64Array.from(this.value);
    if (this.cst >= 0) table.cost = Float64Array.from(this.cost);
    return table;
  }
}
