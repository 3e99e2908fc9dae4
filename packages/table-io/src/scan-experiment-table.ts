import { CiaError, DataValidationError } from "@cia/core";
import type { ExperimentTable } from "@cia/logging-schema";
import { duckdbConnection, sqlString } from "./duckdb-connection.js";
import type { TableIoErrorCode } from "./error-codes.js";
import { ParquetExperimentReader, duplicateUnits, parquetSource } from "./parquet-experiment-reader.js";
import { openParquet } from "./parquet-source.js";
import { type ReadExperimentTableOptions, readExperimentTable } from "./read-experiment-table.js";
import { tableFileFormat } from "./table-file-format.js";

/** Options of {@link scanExperimentTable}. */
export interface ScanExperimentTableOptions extends ReadExperimentTableOptions {
  /** Rows per yielded table (default 65,536). */
  chunkRows?: number | undefined;
}

function slice(t: ExperimentTable, from: number, to: number): ExperimentTable {
  const features: Record<string, ExperimentTable["features"][string]> = {};
  for (const f of t.featureNames) features[f] = t.features[f]!.slice(from, to);
  const out: ExperimentTable = {
    file: t.file,
    n: to - from,
    lines: t.lines.subarray(from, to),
    unitIds: t.unitIds.slice(from, to),
    featureNames: t.featureNames,
    features,
  };
  if (t.action) out.action = t.action.subarray(from, to);
  if (t.actionNames) out.actionNames = t.actionNames;
  if (t.propensity) out.propensity = t.propensity.subarray(from, to);
  if (t.value) out.value = t.value.subarray(from, to);
  if (t.cost) out.cost = t.cost.subarray(from, to);
  return out;
}

/**
 * Stream an experiment (or scoring) table as consecutive tables of at most `chunkRows` rows, for
 * work that runs chunk by chunk (scoring, OPE sums) in memory bounded by one chunk. Each chunk is an
 * `ExperimentTable` with the file's lines (Parquet: row numbers) and action indices that are stable
 * across chunks (`actionNames` of a later chunk extends an earlier one's). Validated as
 * {@link readExperimentTable} validates: the first chunk with an issue throws a
 * `DataValidationError` listing it (and any others in that chunk, up to `maxIssues`), so a consumer
 * that writes atomically leaves no output. Parquet streams from disk; CSV and JSONL are read whole by
 * @cia/logging-schema's reader first (their memory is the table's), then yielded in chunks.
 *
 * @example
 * for await (const chunk of scanExperimentTable("units.parquet", { features: names, chunkRows: 1 << 16 })) score(chunk);
 */
export async function* scanExperimentTable(
  file: string,
  options: ScanExperimentTableOptions = {},
): AsyncGenerator<ExperimentTable> {
  const chunkRows = options.chunkRows ?? 1 << 16;
  if (!(Number.isInteger(chunkRows) && chunkRows > 0))
    throw new CiaError<TableIoErrorCode>(
      "invalid_option",
      `chunkRows must be a positive integer, got ${chunkRows}`,
    );
  const format = tableFileFormat(file, options.format);
  if (format !== "parquet") {
    const t = await readExperimentTable(file, { ...options, format });
    for (let from = 0; from < t.n; from += chunkRows) yield slice(t, from, Math.min(t.n, from + chunkRows));
    return;
  }
  const { names, types, rows } = await openParquet(file);
  const reader = new ParquetExperimentReader(file, names, types, options);
  const fail = () => new DataValidationError(reader.issues, { file });
  if (reader.issues.length > 0) throw fail();
  if (rows === 0) {
    reader.add("empty_table", undefined, 1, "the table has no rows");
    throw fail();
  }
  if (names.includes("unit_id")) {
    // Checked up front: a duplicate found late would come after chunks were already consumed.
    reader.addDuplicates(await duplicateUnits(parquetSource(file), options.maxIssues ?? 20));
    if (reader.issues.length > 0) throw fail();
  }
  await reader.useDictionaries(parquetSource(file));
  // Its own connection: the consumer may query DuckDB between chunks (a Parquet writer does), which
  // would end a stream on a shared one.
  const con = await duckdbConnection();
  const result = await con.stream(`SELECT ${reader.selectList} FROM read_parquet(${sqlString(file)})`);
  let left = rows;
  reader.begin(Math.min(chunkRows, left));
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    let from = 0;
    while (from < chunk.rowCount) {
      const take = Math.min(chunk.rowCount - from, reader.room);
      reader.take(chunk, from, take);
      from += take;
      left -= take;
      if (reader.room === 0) {
        if (reader.issues.length > 0) throw fail();
        yield reader.finish();
        if (left > 0) reader.begin(Math.min(chunkRows, left));
      }
    }
  }
  if (reader.issues.length > 0) throw fail();
  if (left !== 0)
    throw new CiaError<TableIoErrorCode>("duckdb_failed", `${file}: read ${rows - left} of ${rows} rows`);
}
