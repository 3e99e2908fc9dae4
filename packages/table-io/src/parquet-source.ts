// Opening a Parquet file for reading, with a missing or unreadable file as data (an issue), not a
// stack trace. Internal to the package.
import { statSync } from "node:fs";
import { type DataIssue, DataValidationError } from "@cia/core";
import { describeParquet } from "./parquet-experiment-reader.js";

/** Throw a one-issue `DataValidationError` for a file-level problem. */
export function fileIssue(file: string, code: string, message: string): never {
  const issue: DataIssue = { code, path: [], message, file };
  throw new DataValidationError([issue], { file });
}

/**
 * The names, DuckDB types and row count of a Parquet file. A missing file is a `file_not_found`
 * issue (the message of @cia/logging-schema's readers), a file DuckDB cannot read as Parquet an
 * `invalid_parquet` one.
 */
export async function openParquet(file: string): Promise<{ names: string[]; types: string[]; rows: number }> {
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    fileIssue(file, "file_not_found", `no such file: ${file}`);
  }
  if (isDir) fileIssue(file, "file_not_found", `${file} is a directory, not a file`);
  try {
    return await describeParquet(file);
  } catch (e) {
    const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return fileIssue(
      file,
      "invalid_parquet",
      `not a readable Parquet file (${reason}); write it with a Parquet writer or name it .csv`,
    );
  }
}
