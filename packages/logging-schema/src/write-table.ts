import { CiaError } from "@cia/core";
import { scalarToCell } from "./csv-cells.js";
import type { LoggingSchemaErrorCode } from "./error-codes.js";
import { type TableFormat, formatOf } from "./raw-rows.js";
import { batchLines, csvChunks } from "./text-chunks.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** Options of {@link writeTable}. */
export interface WriteTableOptions {
  /** Default from the extension (`.csv` is CSV, anything else JSONL). */
  format?: TableFormat | undefined;
  /** Columns in order. Default: the keys of the first row. */
  columns?: readonly string[] | undefined;
}

/**
 * Write table rows (e.g. the experiment table) to CSV or JSONL atomically (temp file + rename).
 * A row with a key outside `columns` throws (`unknown_column`) instead of being cut; a missing
 * key is an empty cell (null). Non-finite numbers are written as `NaN`/`Infinity` in CSV (read back
 * as such) and as null (missing) in JSONL, which has no spelling for them.
 *
 * @example
 * await writeTable("table.csv", [{ unit_id: "u1", action: "control", propensity: 0.5, value: 3, cost: 0 }]);
 */
export async function writeTable(
  file: string,
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  options: WriteTableOptions = {},
): Promise<{ file: string; format: TableFormat; rows: number }> {
  const format = formatOf(file, options.format);
  let n = 0;
  let columns = options.columns;
  let allowed = columns !== undefined ? new Set(columns) : undefined;
  const check = (row: Record<string, unknown>) => {
    if (columns === undefined) {
      columns = Object.keys(row);
      allowed = new Set(columns);
    }
    for (const key in row) {
      if (!allowed!.has(key)) {
        throw new CiaError<LoggingSchemaErrorCode>(
          "unknown_column",
          `${file}: row ${n} has column "${key}", which is not among [${columns.join(", ")}]`,
          {
            file,
            row: n,
            column: key,
          },
        );
      }
    }
    return columns;
  };
  if (format === "jsonl") {
    async function* lines() {
      for await (const row of rows) {
        n++;
        const cols = check(row);
        const out: Record<string, unknown> = {};
        for (const c of cols) {
          const v = row[c];
          out[c] = typeof v === "number" && !Number.isFinite(v) ? null : (v ?? null);
        }
        yield `${JSON.stringify(out)}\n`;
      }
    }
    await writeFileAtomic(file, batchLines(lines()));
  } else {
    async function* cells() {
      let first = true;
      for await (const row of rows) {
        n++;
        const cols = check(row);
        if (first) {
          yield [...cols];
          first = false;
        }
        yield cols.map((c) => scalarToCell(row[c]));
      }
      if (first && columns !== undefined) yield [...columns];
    }
    await writeFileAtomic(file, csvChunks(cells()));
  }
  return { file, format, rows: n };
}
