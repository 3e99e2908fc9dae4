/**
 * Every `code` of a `CiaError` that @cia/table-io throws (`CiaError<TableIoErrorCode>`). Bad data is
 * not among them: it is a `DataValidationError` (code `data_validation`, from @cia/core) carrying
 * {@link TableIoIssueCode} issues, each with file, line (for Parquet: the 1-based row number) and
 * column.
 *
 * @example
 * try { await writeColumns("t.parquet", 3, cols) } catch (e) { if (CiaError.isInstance(e) && e.code === "shape_mismatch") ... }
 */
export type TableIoErrorCode =
  /** An option outside its domain (a non-positive chunk size, an unknown format). */
  | "invalid_option"
  /** Columns handed to a writer whose lengths do not match the row count. */
  | "shape_mismatch"
  /** Two columns with one name handed to a writer. */
  | "duplicate_column"
  /** DuckDB failed on a file that is not a data problem (a full disk, an I/O error). */
  | "duckdb_failed";

/**
 * Every `code` of a `DataIssue` that @cia/table-io reports: @cia/logging-schema's codes (one name per
 * meaning across both packages) plus the Parquet-only ones.
 */
export type TableIoIssueCode =
  | import("@cia/logging-schema").LoggingSchemaIssueCode
  /** A file named `.parquet` that DuckDB cannot read as Parquet (truncated, not Parquet at all). */
  | "invalid_parquet"
  /** A Parquet column whose type cannot hold what the contract needs (a list where a number goes). */
  | "unsupported_type"
  /** A scores row for the control action (its effect is 0 by definition). */
  | "control_row"
  /** Two scores rows for one (unit, action) pair. */
  | "duplicate_row";
