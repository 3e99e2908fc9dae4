import { CiaError } from "./cia-error.js";
import type { CoreErrorCode } from "./error-codes.js";

/**
 * One problem found in input data, as data: a machine-readable `code`, the `path` to the bad
 * value (e.g. `["row", 12, "propensity"]` or `["decisions.jsonl", 12, "propensity"]`), and a
 * message for people that says what is wrong and how to fix it.
 */
export interface DataIssue {
  code: string;
  path: (string | number)[];
  message: string;
  /** 1-based line in the source file, when the data came from a file. */
  line?: number;
  /** The file the data came from. */
  file?: string;
}

/**
 * Thrown by the throwing variant of a validator; carries every issue found (up to a cap).
 *
 * @example
 * throw new DataValidationError([{ code: "nan", path: ["value"], message: "value is NaN", line: 3 }], { file: "t.csv" });
 */
export class DataValidationError extends CiaError<CoreErrorCode> {
  readonly issues: DataIssue[];
  constructor(issues: DataIssue[], options: { file?: string } = {}) {
    const withFile = issues.map((i) => (options.file && !i.file ? { ...i, file: options.file } : i));
    super("data_validation", formatIssues(withFile), { issues: withFile });
    this.name = "DataValidationError";
    this.issues = withFile;
  }
}

/**
 * Format issues for people, one per line: `file:line: field: message [code]`.
 *
 * @example
 * formatIssues([{ code: "nan", path: [3, "value"], message: "must be a finite number", file: "t.csv", line: 4 }]);
 * // "t.csv:4: value: must be a finite number [nan]"
 */
export function formatIssues(issues: readonly DataIssue[], options: { max?: number } = {}): string {
  const max = options.max ?? 20;
  const lines = issues.slice(0, max).map((i) => {
    const where = [i.file, i.line].filter((x) => x !== undefined).join(":");
    const field = i.path.filter((p) => typeof p === "string").join(".");
    return `${where ? `${where}: ` : ""}${field ? `${field}: ` : ""}${i.message} [${i.code}]`;
  });
  if (issues.length > max) lines.push(`... and ${issues.length - max} more`);
  return lines.join("\n");
}
