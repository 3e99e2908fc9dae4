import { createReadStream } from "node:fs";
import type { DataIssue } from "@cia/core";
import { DataValidationError } from "@cia/core";
import { parse } from "csv-parse";
import { readLineBatches } from "./line-reader.js";

/** A table file format. */
export type TableFormat = "jsonl" | "csv";

/** One data row before validation: its 1-based line, the raw text, and either a value or issues. */
export type RawRow =
  | { line: number; text: string; value: unknown; issues?: undefined }
  | { line: number; text: string; value?: undefined; issues: DataIssue[] };

/** `.csv` (also `.csv.txt`, `.tsv` is not supported) is CSV; everything else is JSONL. */
export function formatOf(file: string, format?: TableFormat): TableFormat {
  if (format !== undefined) return format;
  return /\.csv$/i.test(file) ? "csv" : "jsonl";
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
  const source = createReadStream(file);
  // Line numbers are counted here from each record's raw text: csv-parse's own `info.lines`
  // counts a CRLF inside a quoted cell as two lines, which would shift every later line number.
  const parser = parse({ bom: true, raw: true, relax_column_count: true, skip_empty_lines: true });
  source.on("error", (e) => parser.destroy(e));
  source.pipe(parser);
  let decode: ((cells: readonly string[]) => unknown) | undefined;
  let header: string[] = [];
  let consumed = 0; // line breaks before the current record
  let batch: RawRow[] = [];
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const { record, raw } = item;
      // raw = breaks of skipped empty lines, the record (quoted cells may hold breaks), its own
      // break. A break is "\n", "\r\n", or a lone "\r" (csv-parse keeps only the "\r" of a CRLF
      // record delimiter in raw).
      let p = 0;
      let leading = 0;
      while (p < raw.length) {
        const c = raw.charCodeAt(p);
        if (c === 10) leading++;
        else if (c === 13) {
          if (raw.charCodeAt(p + 1) !== 10) leading++;
        } else break;
        p++;
      }
      for (let b = 0; b < leading; b++) blank();
      const line = consumed + leading + 1;
      let breaks = leading;
      for (let k = p; k < raw.length; k++) {
        const c = raw.charCodeAt(k);
        if (c === 10 || (c === 13 && raw.charCodeAt(k + 1) !== 10)) breaks++;
      }
      consumed += breaks;
      const body = raw;
      if (decode === undefined) {
        header = record;
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
      if (record.length !== header.length) {
        batch.push({
          line,
          text: body,
          issues: [
            {
              code: "column_count",
              path: [],
              message: `row has ${record.length} cells but the header has ${header.length} columns`,
              line,
              file,
            },
          ],
        });
      } else batch.push({ line, text: body, value: decode(record) });
      if (batch.length >= 1024) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } catch (e) {
    if (DataValidationError.isInstance(e)) throw e;
    const err = e as { code?: string; message?: string; lines?: number };
    if (typeof err.code === "string" && err.code.startsWith("CSV_")) {
      const issue: DataIssue = {
        code: "csv_syntax",
        path: [],
        message: `CSV syntax error, the rest of the file cannot be read reliably: ${err.message ?? err.code}`,
        file,
      };
      if (typeof err.lines === "number") issue.line = err.lines;
      throw new DataValidationError([issue], { file });
    }
    throw e;
  } finally {
    source.destroy();
  }
}
