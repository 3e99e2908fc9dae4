// Internal to the package.

/** Where a scores reader records an issue: its code, column, 1-based row and message. */
export type AddScoresIssue = (code: string, path: string, line: number, message: string) => void;

/**
 * Scores rows (row r: unit `unitOf[r]`, action `actionOf[r]`, `values[k][r]`) scattered into dense
 * n x A row-major arrays, NaN where a (unit, action) pair has no row. A control row and a
 * duplicated pair are issues (`add`); the scatter stops once `full()` says enough were found.
 *
 * @example
 * const [tauValue, tauCost] = scatterScores(rows, unitOf, actionOf, [v, c], ids, names, "control", add, () => false);
 */
export function scatterScores(
  rows: number,
  unitOf: Int32Array,
  actionOf: Int32Array,
  values: readonly Float64Array[],
  units: readonly string[],
  actions: readonly string[],
  control: string,
  add: AddScoresIssue,
  full: () => boolean,
): Float64Array[] {
  const controlAt = actions.indexOf(control);
  const A = actions.length;
  // Rows already dense (every unit's A actions, in first-seen order, no control): the columns are
  // the arrays, with no second copy (a scores file as `cia score` writes it).
  if (rows === units.length * A && controlAt < 0) {
    let dense = true;
    for (let r = 0; r < rows && dense; r++) dense = unitOf[r]! * A + actionOf[r]! === r;
    if (dense) return values.map((v) => (v.length === rows ? v : v.subarray(0, rows)));
  }
  const arrays = values.map(() => new Float64Array(units.length * A).fill(Number.NaN));
  const filled = new Uint8Array(units.length * A);
  const width = values.length;
  for (let r = 0; r < rows; r++) {
    const a = actionOf[r]!;
    const cell = unitOf[r]! * A + a;
    if (a === controlAt || filled[cell] === 1) {
      if (a === controlAt)
        add(
          "control_row",
          "action",
          r + 1,
          `scores have no row for the control action '${control}' (its effect is 0 by definition)`,
        );
      if (filled[cell] === 1)
        add(
          "duplicate_row",
          "action",
          r + 1,
          `duplicate scores for unit '${units[unitOf[r]!]}' and action '${actions[a]}'`,
        );
      if (full()) break;
    }
    filled[cell] = 1;
    for (let k = 0; k < width; k++) arrays[k]![cell] = values[k]![r]!;
  }
  return arrays;
}
