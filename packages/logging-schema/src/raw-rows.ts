import type { DataIssue } from "@cia/core";
import { DataValidationError } from "@cia/core";
import { readCsvRecords } from "./csv-records.js";
import { readLineBatches } from "./line-reader.js";
import { csvRow } from "./text-chunks.js";

/** A table file format. */
export type TableFormat = "jsonl" | "csv";

/**
 * One data row before validation: its 1-based line, its text (a JSONL line, or a CSV row's cells,
 * turned back into text by {@link rawText} only if the row is rejected), and a value or issues.
 */
export type RawRow = { line: number; text: string | readonly string[] } & (
  | { value: unknown; issues?: undefined }
  | { value?: undefined; issues: DataIssue[] }
);

/** A row's text as it goes to a rejects file: the JSONL line, or the CSV cells quoted where they need it. */
export function rawText(row: RawRow): string {
  return typeof row.text === "string" ? row.text : csvRow(row.text);
}

/**
 * A file's format from its name, a trailing `.gz` aside (read and written gzipped): `.csv` is CSV,
 * `.jsonl` and `.ndjson` are JSONL, any other name is `fallback` (JSONL for the logs, CSV for the
 * experiment table). `format` overrides the name.
 */
export function formatOf(file: string, format?: TableFormat, fallback: TableFormat = "jsonl"): TableFormat {
  if (format !== undefined) return format;
  const name = file.replace(/\.gz$/i, "");
  if (/\.csv$/i.test(name)) return "csv";
  if (/\.(jsonl|ndjson)$/i.test(name)) return "jsonl";
  return fallback;
}

/**
 * Stream the data rows of a JSONL or CSV file as raw values, in batches, in constant memory. Syntax problems of
 * one row (bad JSON, wrong CSV cell count) are that row's issues; a CSV quoting error, after which
 * rows cannot be delimited reliably, throws. `blank` is called for each blank line skipped.
 * Internal to the package.
 */
export async function* readRawRows(
  file: string,
  format: TableFormat,
  decodeCsv: (header: readonly string[]) => (cells: readonly string[]) => unknown,
  blank: () => void,
): AsyncGenerator<RawRow[]> {
  if (format === "jsonl") {
    for await (const { firstLine, lines } of readLineBatches(file)) {
      const batch: RawRow[] = [];
      for (let k = 0; k < lines.length; k++) {
        const text = lines[k]!;
        const line = firstLine + k;
        if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === "")) {
          blank();
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          batch.push({
            line,
            text,
            issues: [
              { code: "invalid_json", path: [], message: `line is not valid JSON (${reason})`, line, file },
            ],
          });
          continue;
        }
        batch.push({ line, text, value });
      }
      yield batch;
    }
    return;
  }
  let decode: ((cells: readonly string[]) => unknown) | undefined;
  let header: string[] = [];
  for await (const { records, blankLines, syntaxError } of readCsvRecords(file)) {
    for (let b = 0; b < blankLines; b++) blank();
    const batch: RawRow[] = [];
    for (const { cells, line } of records) {
      if (decode === undefined) {
        header = cells;
        const seen = new Set<string>();
        for (const name of header) {
          if (seen.has(name)) {
            throw new DataValidationError(
              [
                {
                  code: "duplicate_column",
                  path: [name],
                  message: `column "${name}" appears twice in the header`,
                  line,
                  file,
                },
              ],
              { file },
            );
          }
          seen.add(name);
        }
        decode = decodeCsv(header);
        continue;
      }
      if (cells.length !== header.length) {
        batch.push({
          line,
          text: cells,
          issues: [
            {
              code: "column_count",
              path: [],
              message: `row has ${cells.length} cells but the header has ${header.length} columns`,
              line,
              file,
            },
          ],
        });
      } else batch.push({ line, text: cells, value: decode(cells) });
    }
    if (batch.length > 0) yield batch;
    if (syntaxError) {
      const issue: DataIssue = {
        code: "csv_syntax",
        path:
          syntaxError.column !== undefined && header[syntaxError.column] !== undefined
            ? [header[syntaxError.column]!]
            : [],
        message: `CSV syntax error, the rest of the file cannot be read reliably: ${syntaxError.message}`,
        line: syntaxError.line,
        file,
      };
      throw new DataValidationError([issue], { file });
    }
  }
}
