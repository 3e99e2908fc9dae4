/**
 * Effect scores in the file contract's long form (one row per unit and non-control action),
 * pivoted to dense n x A row-major arrays (A = non-control actions, in first-seen order; units in
 * first-seen order). A missing (unit, action) pair is NaN in every array and means "not a
 * candidate". The same shape as the runner's `ScoresTable`.
 *
 * @example
 * const s: ScoresColumns = (await readScoresColumnar("scores.parquet"))!;
 * s.tauValue[i * s.actions.length + a];
 */
export interface ScoresColumns {
  file: string;
  unitIds: string[];
  actions: string[];
  tauValue: Float64Array;
  tauCost: Float64Array;
  tauValueLower?: Float64Array;
  tauValueUpper?: Float64Array;
  tauCostLower?: Float64Array;
  tauCostUpper?: Float64Array;
}

/** The numeric columns of a scores file, in file-contract order (the first two are required). */
export const SCORE_COLUMNS = [
  "tau_value",
  "tau_cost",
  "tau_value_lower",
  "tau_value_upper",
  "tau_cost_lower",
  "tau_cost_upper",
] as const;

/**
 * Rows `[from, to)` of a scores file, final as read (a reader's `onRows`): row r is unit
 * `unitOf[r]` (its index in the answer's `unitIds`), action `actionOf[r]` (in `actions`), and
 * `values[k][r]` the score column `present[k]`. The arrays are the reader's own (rows before `from`
 * are unchanged, later ones not yet read): read them during the call, do not keep them. When the
 * rows are dense (every unit's actions in one order, as `cia score` writes them), the answer's
 * arrays hold these very values.
 */
export interface ScoresRows {
  from: number;
  to: number;
  unitOf: Int32Array;
  actionOf: Int32Array;
  values: readonly Float64Array[];
  present: readonly string[];
}

/** Where a reader reports its rows as they become final (see {@link ScoresRows}). */
export type OnScoresRows = (rows: ScoresRows) => void;
