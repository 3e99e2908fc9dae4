// How CSV cells (always strings) become JSON values and back. Internal to the package.

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell that spells a number becomes that number (including "NaN", "Infinity", "-Infinity", so
 * validation can report them as not finite); anything else stays a string. Hex, underscores and
 * surrounding spaces are not numbers here, unlike `Number()`.
 */
export function cellToNumberOrString(cell: string): number | string {
  if (NUMBER_RE.test(cell)) return Number(cell);
  if (cell === "NaN") return Number.NaN;
  if (cell === "Infinity" || cell === "+Infinity") return Number.POSITIVE_INFINITY;
  if (cell === "-Infinity") return Number.NEGATIVE_INFINITY;
  return cell;
}

/** A feature or table cell: empty is null (missing), numbers are numbers, the rest strings. */
export function cellToScalar(cell: string): number | string | null {
  if (cell === "") return null;
  return cellToNumberOrString(cell);
}

/** A JSON-encoded cell (arrays, objects); malformed JSON is kept as the string for validation to report. */
export function cellToJson(cell: string): unknown {
  try {
    return JSON.parse(cell);
  } catch {
    return cell;
  }
}

/** A list cell: a JSON array, or values separated by `|`. */
export function cellToList(cell: string): unknown {
  if (cell.startsWith("[")) return cellToJson(cell);
  return cell.split("|");
}

/** Write a value into a CSV cell: null/undefined are empty; numbers in shortest round-trip form. */
export function scalarToCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
