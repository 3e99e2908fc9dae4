import { CiaError, DataValidationError } from "@cia/core";
import { readCsvRecords } from "./csv-records.js";
import type { ExperimentTable, ExperimentTableColumn } from "./experiment-table.js";
import { ExperimentTableBuilder } from "./experiment-table-builder.js";
import { readLineBatches } from "./line-reader.js";
import type { ParseResult } from "./parse-result.js";
import { type TableFormat, formatOf } from "./raw-rows.js";

/** Options of {@link readExperimentTable}. */
export interface ReadExperimentTableOptions {
  /** Reserved columns that must be present (`unit_id` always must). */
  require?: readonly ExperimentTableColumn[] | undefined;
  /**
   * The feature columns to keep (a model's contract), in this order: a listed column that is absent
   * is a `missing_column` issue, any other non-reserved column an `unknown_column` one. Default:
   * every non-reserved column is a feature, in file order.
   */
  features?: readonly string[] | undefined;
  /**
   * The actions the `action` column may hold, in index order (a model's actions): any other is an
   * `unknown_action` issue, and `action[i]` indexes this list. Default: any action, indexed in order
   * of first appearance.
   */
  knownActions?: readonly string[] | undefined;
  /** Stop after this many issues (default 20). */
  maxIssues?: number | undefined;
  /**
   * Default from the name, a trailing `.gz` aside (gunzipped): `.jsonl` / `.ndjson` are JSONL,
   * anything else CSV.
   */
  format?: TableFormat | undefined;
}

async function readCsv(file: string, into: ExperimentTableBuilder): Promise<void> {
  let width = 0;
  let header: string[] = [];
  for await (const { records, syntaxError } of readCsvRecords(file)) {
    for (const { cells, line } of records) {
      if (!into.hasHeader) {
        header = cells;
        const seen = new Set<string>();
        for (const name of cells) {
          if (seen.has(name))
            into.add("duplicate_column", name, line, `column '${name}' appears twice in the header`);
          seen.add(name);
        }
        width = cells.length;
        if (into.full || !into.header(cells)) return;
        continue;
      }
      if (cells.length !== width)
        into.add(
          "column_count",
          undefined,
          line,
          `row has ${cells.length} cells but the header has ${width} columns`,
        );
      else into.row(line, cells);
      if (into.full) return;
    }
    if (syntaxError) {
      const message = `CSV syntax error, the rest of the file cannot be read reliably: ${syntaxError.message}`;
      const field = syntaxError.column !== undefined ? header[syntaxError.column] : undefined;
      into.add("csv_syntax", field, syntaxError.line, message);
      return;
    }
  }
}

async function readJsonl(file: string, into: ExperimentTableBuilder): Promise<void> {
  let keys: string[] = [];
  for await (const { firstLine, lines } of readLineBatches(file)) {
    for (let k = 0; k < lines.length; k++) {
      const text = lines[k]!;
      const line = firstLine + k;
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        into.add("invalid_json", undefined, line, `not valid JSON (${(e as Error).message})`);
        if (into.full) return;
        continue;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        into.add("not_an_object", undefined, line, "each line must be a JSON object");
        if (into.full) return;
        continue;
      }
      const record = value as Record<string, unknown>;
      if (!into.hasHeader) {
        // The first object's keys are the columns, as a CSV header would be.
        keys = Object.keys(record);
        if (!into.header(keys)) return;
      }
      into.row(
        line,
        keys.map((key) => record[key]),
      );
      if (into.full) return;
    }
  }
}

/**
 * Read and validate an experiment (or scoring) table from CSV, JSONL or either gzipped, into the
 * columnar {@link ExperimentTable}, with actions as indices. The one reader of the table: CSV goes
 * through papaparse, JSONL line by line, both streamed in constant memory besides the columns.
 *
 * Missing values (the rule of `isMissingCell`): a cell that is empty or spells `NA`, `NaN` or
 * `null` (any case, spaces trimmed), and in JSONL a `null` or an absent key, is missing. A missing
 * feature is `null`. A missing `propensity`, `value` or `cost` is an issue: the reserved numeric
 * columns must hold finite numbers (`not_finite`: "value must be a finite number, got 'NA'") and a
 * propensity must be in (0, 1] (`propensity_out_of_range`). `unit_id` and `action` are names: only
 * an empty one is missing (`missing_value`). Other feature cells that read as finite numbers become
 * numbers, the rest stay (trimmed) strings.
 *
 * Every problem is reported with file, line and field: unknown or missing columns, a non-numeric,
 * missing or NaN outcome, a propensity outside (0, 1], an unknown action, a row with the wrong
 * number of cells, bad JSON. Nothing is dropped silently: any issue fails the read with a
 * `DataValidationError` listing up to `maxIssues` of them (see {@link safeReadExperimentTable}).
 *
 * @example
 * const t = await readExperimentTable("table.csv", { require: ["action", "value"] });
 * t.n; t.actionNames![t.action![0]!]; t.features.age;
 */
export async function readExperimentTable(
  file: string,
  options: ReadExperimentTableOptions = {},
): Promise<ExperimentTable> {
  const r = await safeReadExperimentTable(file, options);
  if (!r.success) throw new DataValidationError(r.issues, { file });
  return r.data;
}

/**
 * {@link readExperimentTable} without the throw: the table, or every issue found (up to
 * `maxIssues`), each with file, line and field. A missing file is an issue too (`file_not_found`).
 *
 * @example
 * const r = await safeReadExperimentTable("table.csv");
 * if (!r.success) console.error(formatIssues(r.issues));
 */
export async function safeReadExperimentTable(
  file: string,
  options: ReadExperimentTableOptions = {},
): Promise<ParseResult<ExperimentTable>> {
  const builder = new ExperimentTableBuilder(file, options);
  try {
    if (formatOf(file, options.format, "csv") === "csv") await readCsv(file, builder);
    else await readJsonl(file, builder);
  } catch (e) {
    // A missing file or a corrupt archive: the file-level issue is the whole answer.
    if (CiaError.isInstance(e) && e.code === "data_validation")
      return { success: false, issues: (e as DataValidationError).issues };
    throw e;
  }
  const table = builder.finish();
  if (table === undefined) return { success: false, issues: builder.issues.map((i) => ({ ...i, file })) };
  return { success: true, data: table };
}
