import { CiaError, DataValidationError } from "@cia/core";
import {
  type ExperimentTable,
  type ParseResult,
  type ReadExperimentTableOptions as CsvReadOptions,
  safeReadExperimentTable as safeReadCsvOrJsonl,
} from "@cia/logging-schema";
import { sqlString, withConnection } from "./duckdb-connection.js";
import type { TableIoErrorCode } from "./error-codes.js";
import { ParquetExperimentReader, duplicateUnits, parquetSource } from "./parquet-experiment-reader.js";
import { openParquet } from "./parquet-source.js";
import { readExperimentCsv } from "./read-experiment-csv.js";
import { type TableFileFormat, tableFileFormat } from "./table-file-format.js";

/** Options of {@link readExperimentTable}: @cia/logging-schema's, with Parquet among the formats. */
export interface ReadExperimentTableOptions extends Omit<CsvReadOptions, "format"> {
  /** Default from the name (see {@link tableFileFormat}): `.parquet` is Parquet. */
  format?: TableFileFormat | undefined;
}

/**
 * Read and validate an experiment (or scoring) table from Parquet, CSV, JSONL or either gzipped,
 * into @cia/logging-schema's columnar `ExperimentTable`, the format chosen by the name. CSV and JSONL
 * go through @cia/logging-schema's reader (its quoting, line numbers and messages, unchanged);
 * Parquet goes through embedded DuckDB column by column, with the same checks and messages: a
 * missing or non-finite reserved number, a propensity outside (0, 1], an empty id, an unknown action
 * or column. For Parquet an issue's `line` is the 1-based row number and its path the column; a
 * null cell is missing (a null feature is null). Numeric Parquet columns arrive as numbers, text
 * columns follow the CSV cell rules (`NA` is missing, numbers in text become numbers).
 *
 * @example
 * const t = await readExperimentTable("table.parquet", { require: ["action", "value"] });
 * t.actionNames![t.action![0]!]; t.lines[0]; // 1: the first row
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
 * `maxIssues`, default 20), each with file, line (row) and column.
 *
 * @example
 * const r = await safeReadExperimentTable("table.parquet");
 * if (!r.success) console.error(formatIssues(r.issues));
 */
export async function safeReadExperimentTable(
  file: string,
  options: ReadExperimentTableOptions = {},
): Promise<ParseResult<ExperimentTable>> {
  const format = tableFileFormat(file, options.format);
  if (format === "csv") {
    // A plain CSV from its bytes; anything unusual (or any issue) through the row reader, which
    // names each issue's line.
    const table = await readExperimentCsv(file, options);
    if (table) return { success: true, data: table };
  }
  if (format !== "parquet") return safeReadCsvOrJsonl(file, { ...options, format });
  try {
    const { names, types, rows } = await openParquet(file);
    const reader = new ParquetExperimentReader(file, names, types, options);
    if (reader.issues.length > 0) return { success: false, issues: withFile(reader.issues, file) };
    await reader.useDictionaries(parquetSource(file));
    reader.begin(rows);
    if (rows > 0) {
      await withConnection(async (con) => {
        const result = await con.stream(`SELECT ${reader.selectList} FROM read_parquet(${sqlString(file)})`);
        for (;;) {
          const chunk = await result.fetchChunk();
          if (chunk === null || chunk.rowCount === 0) break;
          reader.take(chunk, 0, Math.min(chunk.rowCount, reader.room));
          if (reader.full) return;
        }
        // Never a silently short table: a stream that ended early is a failure, not the data.
        if (reader.room !== 0)
          throw new CiaError<TableIoErrorCode>(
            "duckdb_failed",
            `${file}: read ${rows - reader.room} of ${rows} rows`,
          );
      });
    }
    if (rows === 0) reader.add("empty_table", undefined, 1, "the table has no rows");
    else if (names.includes("unit_id"))
      reader.addDuplicates(await duplicateUnits(parquetSource(file), options.maxIssues ?? 20));
    if (reader.issues.length > 0) return { success: false, issues: withFile(reader.issues, file) };
    return { success: true, data: reader.finish() };
  } catch (e) {
    if (CiaError.isInstance(e) && e.code === "data_validation")
      return { success: false, issues: (e as DataValidationError).issues };
    throw e;
  }
}

function withFile<T extends { file?: string }>(issues: readonly T[], file: string): T[] {
  return issues.map((i) => ({ ...i, file }));
}
