import type { z } from "zod";
import { cellToScalar } from "./csv-cells.js";
import { safeParseRecord } from "./parse-records.js";
import type { ParseResult } from "./parse-result.js";
import { formatOf } from "./raw-rows.js";
import { type ReadOptions, type RecordReader, readRecords } from "./read-records.js";

/** A table row as read without a schema: CSV cells become numbers, strings or null (empty). */
export type TableRow = Record<string, unknown>;

/** Options of {@link readTable}. */
export interface ReadTableOptions<S extends z.ZodType | undefined = undefined> extends ReadOptions {
  /** Validate (and type) each row with this zod schema; issues carry the row's line. */
  schema?: S;
  /**
   * CSV columns kept as strings even when they look like numbers (ids like "00123" must not
   * become 123). Default `["unit_id", "decision_id", "event_id", "action"]`.
   */
  stringColumns?: readonly string[] | undefined;
}

/**
 * Stream the rows of a table (scores, assignments, ledgers...) from CSV or JSONL (`.jsonl` /
 * `.ndjson`; any other name is CSV; `.gz` gunzipped), each with its line number. The experiment
 * table has its own columnar reader, `readExperimentTable`. CSV cells: empty is null (missing),
 * numbers are numbers (except the `stringColumns`), everything else a string. JSONL rows must be
 * JSON objects (`not_an_object`). With `schema`, each row is validated and typed by it;
 * strict/quarantine work as for the log readers.
 *
 * @example
 * const reader = readTable("table.csv", { schema: z.object({ unit_id: z.string(), value: z.number() }).loose() });
 * for await (const { line, record } of reader) console.log(line, record.unit_id, record.value);
 */
export function readTable<S extends z.ZodType | undefined = undefined>(
  file: string,
  options: ReadTableOptions<S> = {},
): RecordReader<S extends z.ZodType ? z.output<S> : TableRow> {
  type Out = S extends z.ZodType ? z.output<S> : TableRow;
  const keep = new Set(options.stringColumns ?? ["unit_id", "decision_id", "event_id", "action"]);
  const schema = options.schema;
  const validate = (
    raw: unknown,
    where: { file?: string | undefined; line?: number | undefined },
  ): ParseResult<Out> => {
    if (schema !== undefined) return safeParseRecord(schema, raw, where) as ParseResult<Out>;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      const issue = { code: "not_an_object", path: [], message: "each row must be a JSON object" };
      return {
        success: false,
        issues: [
          {
            ...issue,
            ...(where.line !== undefined ? { line: where.line } : {}),
            ...(where.file !== undefined ? { file: where.file } : {}),
          },
        ],
      };
    }
    return { success: true, data: raw as Out };
  };
  const decodeCsv = (header: readonly string[]) => {
    const asString = header.map((h) => keep.has(h));
    return (cells: readonly string[]) => {
      const row: TableRow = {};
      for (let j = 0; j < header.length; j++) {
        const cell = cells[j]!;
        row[header[j]!] = asString[j] ? (cell === "" ? null : cell) : cellToScalar(cell);
      }
      return row;
    };
  };
  // Tables are CSV first: a name that is neither .csv nor .jsonl/.ndjson is read as CSV.
  return readRecords<Out>(file, validate, decodeCsv, {
    ...options,
    format: formatOf(file, options.format, "csv"),
  });
}
