const MISSING_WORDS = new Set(["na", "nan", "null"]);

/**
 * The missing-value rule of the experiment table, the one place it is written down: a cell is
 * missing when, with surrounding spaces trimmed, it is empty or spells `NA`, `NaN` or `null` in any
 * case (`na`, `NAN`, `Null`...); in JSONL, `null` and an absent key are missing too. What follows
 * from it (see `readExperimentTable`): a missing feature is `null` (the feature contract's missing
 * policy then imputes or refuses it); a missing `propensity`, `value` or `cost` is an issue naming
 * file, line, field and the fix (`value must be a finite number, got 'NA'` [not_finite],
 * `propensity must be in (0, 1], got ''` [propensity_out_of_range]), never a silent 0 or NaN.
 * `unit_id` and `action` hold names, where `NA` may be a real one: only an empty cell is missing
 * there (a `missing_value` issue).
 *
 * @example
 * isMissingCell(" NA "); // true
 * isMissingCell("0");    // false
 */
export function isMissingCell(cell: string): boolean {
  if (cell.length === 0) return true;
  // Most cells are longer than "null" and start and end on a printable ASCII character: they skip
  // the trim and the lower-casing.
  if (cell.length > 4 && printable(cell.charCodeAt(0)) && printable(cell.charCodeAt(cell.length - 1)))
    return false;
  const t = cell.trim();
  return t.length === 0 || (t.length <= 4 && MISSING_WORDS.has(t.toLowerCase()));
}

function printable(code: number): boolean {
  return code > 32 && code < 127;
}
