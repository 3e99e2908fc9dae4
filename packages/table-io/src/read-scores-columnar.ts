import { readScoresCsv } from "./read-scores-csv.js";
import type { OnScoresRows, ScoresColumns } from "./scores-columns.js";
import { tableFileFormat } from "./table-file-format.js";

/** Options of {@link readScoresColumnar}. */
export interface ReadScoresColumnarOptions {
  /** The no-offer action, which has no scores rows (default `control`). */
  control?: string | undefined;
  /** Stop after this many issues (default 20). */
  maxIssues?: number | undefined;
  /**
   * Hears of the rows as they become final, in file order (see `ScoresRows`), while the rest is
   * still being read: a caller can start on them. For a CSV the answer may still be undefined (the
   * row reader's business then): drop what was heard.
   */
  onRows?: OnScoresRows | undefined;
}

/**
 * Read and validate a scores file column by column, pivoted to {@link ScoresColumns}, with no
 * object per row.
 *
 * Parquet (through embedded DuckDB): always the answer. Issues (a missing or unknown column, an empty id or action, a control
 * row, a non-finite score, a duplicated (unit, action) pair) throw a `DataValidationError`, each
 * with the 1-based row number as `line` and the column as path, in the runner's words.
 *
 * CSV (parsed from its bytes in this process, see `readScoresCsv`): the answer when the file is
 * plain (no quote and no CR anywhere, not gzipped) and every check passes; `undefined` otherwise,
 * and the caller reads the file with its row reader, which reports each issue with the exact line
 * (quoted cells can span lines, so only that reader counts them). Numbers are taken only when they
 * spell a decimal number (the CSV reader's rule), so both readers agree on every file this one
 * accepts.
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
  const format = tableFileFormat(file);
  if (format === "csv") return readScoresCsv(file, control, { onRows: options.onRows });
  if (format !== "parquet") return undefined;
  // DuckDB (its native library) is loaded only for Parquet.
  return (await import("./read-scores-parquet.js")).readScoresParquet(
    file,
    control,
    maxIssues,
    options.onRows,
  );
}
