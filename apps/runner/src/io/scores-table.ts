import { DataValidationError } from "@cia/core";
import type { DataIssue } from "@cia/core";
import { readTable } from "@cia/logging-schema";
import { type OnScoresRows, readScoresColumnar } from "@cia/table-io";

/**
 * Effect scores in the file contract's long form (one row per unit and non-control action),
 * pivoted to dense n x A arrays (A = non-control actions, in first-seen order). A missing
 * (unit, action) pair is NaN in every array and means "not a candidate".
 */
export interface ScoresTable {
  file: string;
  unitIds: string[];
  actions: string[];
  /** n x A row-major. */
  tauValue: Float64Array;
  tauCost: Float64Array;
  tauValueLower?: Float64Array;
  tauValueUpper?: Float64Array;
  tauCostLower?: Float64Array;
  tauCostUpper?: Float64Array;
}

const OPTIONAL = ["tau_value_lower", "tau_value_upper", "tau_cost_lower", "tau_cost_upper"] as const;

/**
 * Read and validate a scores file (CSV or JSONL). Non-finite scores, a control row, an unknown
 * column or a duplicated (unit, action) pair are reported with file, line and field.
 *
 * @example
 * const s = await readScores("scores.csv", { control: "control" });
 * s.tauValue[i * s.actions.length + a];
 */
export async function readScores(
  file: string,
  options: {
    control?: string;
    maxIssues?: number;
    /**
     * Hears of the rows as the columnar reader makes them final (see `ScoresRows`); `discard` is
     * called when the row reader takes over (what was heard is not the answer).
     */
    feed?: { onRows: OnScoresRows; discard(): void } | undefined;
  } = {},
): Promise<ScoresTable> {
  // Parquet, and plain CSV, column by column with no object per row (@cia/table-io); any other
  // file, or a CSV with a problem, row by row below, which names each issue's exact line.
  const columnar = await readScoresColumnar(file, {
    control: options.control,
    maxIssues: options.maxIssues,
    onRows: options.feed?.onRows,
  });
  if (columnar) return columnar;
  options.feed?.discard();
  const control = options.control ?? "control";
  const maxIssues = options.maxIssues ?? 20;
  const issues: DataIssue[] = [];
  const add = (i: DataIssue): void => {
    if (issues.length < maxIssues) issues.push(i);
  };
  const unitIndex = new Map<string, number>();
  const actionIndex = new Map<string, number>();
  const rows: { u: number; a: number; v: number[] }[] = [];
  const cols = ["tau_value", "tau_cost", ...OPTIONAL];
  let present: boolean[] | undefined;
  const seen = new Set<string>();
  for await (const { line, record: values } of readTable(file)) {
    if (!present) {
      const header = Object.keys(values);
      for (const need of ["unit_id", "action", "tau_value", "tau_cost"]) {
        if (!header.includes(need))
          add({
            code: "missing_column",
            path: [need],
            line: 1,
            message: `missing column '${need}' (scores need unit_id, action, tau_value, tau_cost)`,
          });
      }
      for (const h of header) {
        if (!["unit_id", "action", ...cols].includes(h))
          add({
            code: "unknown_column",
            path: [h],
            line: 1,
            message: `unknown column '${h}' in a scores file`,
          });
      }
      present = cols.map((c) => header.includes(c));
      if (issues.length) break;
    }
    const uid = String(values.unit_id ?? "").trim();
    const act = String(values.action ?? "").trim();
    if (uid === "") add({ code: "missing_value", path: ["unit_id"], line, message: "unit_id is empty" });
    if (act === "") add({ code: "missing_value", path: ["action"], line, message: "action is empty" });
    if (act === control)
      add({
        code: "control_row",
        path: ["action"],
        line,
        message: `scores have no row for the control action '${control}' (its effect is 0 by definition)`,
      });
    const key = `${uid}\u0000${act}`;
    if (seen.has(key))
      add({
        code: "duplicate_row",
        path: ["action"],
        line,
        message: `duplicate scores for unit '${uid}' and action '${act}'`,
      });
    seen.add(key);
    const v = cols.map((c, k) => {
      if (!present![k]) return Number.NaN;
      const raw = values[c];
      // Decimal only, as in the experiment table: Number() would read "0x10" as 16.
      const text = String(raw ?? "").trim();
      const x =
        typeof raw === "number"
          ? raw
          : /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)
            ? Number(text)
            : Number.NaN;
      if (!Number.isFinite(x))
        add({
          code: "not_finite",
          path: [c],
          line,
          message: `${c} must be a finite number, got '${raw ?? ""}'`,
        });
      return x;
    });
    if (!unitIndex.has(uid)) unitIndex.set(uid, unitIndex.size);
    if (!actionIndex.has(act)) actionIndex.set(act, actionIndex.size);
    rows.push({ u: unitIndex.get(uid)!, a: actionIndex.get(act)!, v });
    if (issues.length >= maxIssues) break;
  }
  if (!present) issues.push({ code: "empty_table", path: [], message: "the scores file has no rows" });
  if (issues.length) throw new DataValidationError(issues, { file });
  const n = unitIndex.size;
  const A = actionIndex.size;
  const arrays = cols.map(() => new Float64Array(n * A).fill(Number.NaN));
  for (const r of rows) for (let k = 0; k < cols.length; k++) arrays[k]![r.u * A + r.a] = r.v[k]!;
  const out: ScoresTable = {
    file,
    unitIds: [...unitIndex.keys()],
    actions: [...actionIndex.keys()],
    tauValue: arrays[0]!,
    tauCost: arrays[1]!,
  };
  if (present![2]) out.tauValueLower = arrays[2]!;
  if (present![3]) out.tauValueUpper = arrays[3]!;
  if (present![4]) out.tauCostLower = arrays[4]!;
  if (present![5]) out.tauCostUpper = arrays[5]!;
  return out;
}
