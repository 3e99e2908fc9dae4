/**
 * Every `code` of a `CiaError` that @cia/logging-schema throws (`CiaError<LoggingSchemaErrorCode>`).
 * Bad data is not among them: it is a `DataValidationError` (code `data_validation`, from @cia/core)
 * carrying {@link LoggingSchemaIssueCode} issues.
 */
export type LoggingSchemaErrorCode =
  /** An option is outside its domain (e.g. `horizonDays <= 0`, an `asOf` that is not a time). */
  | "invalid_option"
  /** `writeTable` got a row with a key outside its columns (it refuses rather than cut it). */
  | "unknown_column"
  /** A log writer's CSV got a feature outside its `features.<name>` columns. */
  | "unknown_feature_column"
  /** `inferFeatureContract` was given the same feature name twice. */
  | "duplicate_feature"
  /** A categorical feature has more levels than `maxLevels` (likely an id column). */
  | "too_many_levels"
  /** A decision's inline feature is named like an experiment-table column. */
  | "feature_name_collision"
  /** Features checked against a contract whose hash is not the expected one. */
  | "contract_hash_mismatch"
  /** Writing a file failed (read-only file system, no space, permission, a file where a directory must be). */
  | "write_failed";

/**
 * Every `code` of a `DataIssue` that @cia/logging-schema reports (readers, parsers, label building,
 * feature contracts). Each issue also carries the file, line and field path, and its message says
 * how to fix the data.
 */
export type LoggingSchemaIssueCode =
  /** The input file does not exist or is not a file. */
  | "file_not_found"
  /** The input file exists but cannot be read (permission, I/O error). */
  | "read_failed"
  /** The file is not valid gzip (a `.gz` name with other content, or a truncated archive). */
  | "invalid_gzip"
  /** A JSONL line is not valid JSON. */
  | "invalid_json"
  /** A row (a JSONL line) is valid JSON but not an object. */
  | "not_an_object"
  /** A CSV quoting error: the rest of the file cannot be delimited reliably. */
  | "csv_syntax"
  /** A CSV row with more or fewer cells than the header has columns. */
  | "column_count"
  /** A CSV header names a column twice. */
  | "duplicate_column"
  /** A table has a header but no data rows (or no header at all). */
  | "empty_table"
  /** A required column (or a feature of the contract) is absent. */
  | "missing_column"
  /** A column that is not a feature of the feature contract. */
  | "unknown_column"
  /** A column outside the contract, reported (not refused) by `applyFeatureContract`. */
  | "extra_column"
  /** Two rows of an experiment table with one unit_id (a table has one row per unit). */
  | "duplicate_unit"
  /** A cost below zero (a refund or a clawback is not a cost of the offer). */
  | "negative_cost"
  /** A required cell is empty (unit_id, action; a feature whose missing policy is `error`). */
  | "missing_value"
  /** An action that is not among the known (or eligible) ones. */
  | "unknown_action"
  /** A number that must be finite is NaN, infinite, missing or not a number at all. */
  | "not_finite"
  /** A propensity outside (0, 1]. */
  | "propensity_out_of_range"
  /** A number outside its allowed range (other than a propensity). */
  | "out_of_range"
  /** The chosen action is not among the eligible ones. */
  | "action_not_eligible"
  /** An action listed twice among the eligible ones. */
  | "duplicate_action"
  /** An action distribution that does not sum to 1 (tolerance 1e-6). */
  | "probabilities_do_not_sum_to_one"
  /** The distribution gives the chosen action another probability than the logged propensity. */
  | "propensity_mismatch"
  /** A `feature_ref` without the `feature_contract_hash` it was written under. */
  | "missing_feature_contract_hash"
  /** A time before the one it must follow (outcome before decision, end before start). */
  | "time_order"
  /** A `cost_definition` on a value event. */
  | "cost_definition_on_value"
  /** Two decisions with one id in a stream. */
  | "duplicate_decision_id"
  /** Two events with one id in a stream. */
  | "duplicate_event_id"
  /** A record's `decision_id` names a decision of another unit. */
  | "unit_mismatch"
  /** A record's `decision_id` names no known decision. */
  | "unknown_decision"
  /** Attributed cost events use several cost definitions (usually double counting). */
  | "mixed_cost_definitions"
  /** A required field of a record is absent. */
  | "missing_field"
  /** A field of the wrong type. */
  | "invalid_type"
  /** A value that is not one of the allowed ones. */
  | "invalid_value"
  /** A time without an explicit offset, or not ISO 8601. */
  | "invalid_time"
  /** A string of the wrong format. */
  | "invalid_format"
  /** A list or string shorter than allowed. */
  | "too_short"
  /** A list or string longer than allowed. */
  | "too_long"
  /** A `schema_version` this package cannot read. */
  | "unsupported_schema_version"
  /** A file in a format this reader does not read (Parquet given to a CSV/JSONL reader). */
  | "unsupported_format"
  /** A field the schema does not know (a typo such as `propensty` is never lost silently). */
  | "unknown_field"
  /** A category level the contract has not seen (`on_unseen: "error"`). */
  | "unseen_category"
  /** A value outside a transform's domain (`log1p` of a value <= -1). */
  | "transform_domain"
  /** A feature with no usable value at all when inferring a contract. */
  | "no_values"
  /** A contract lists a feature twice. */
  | "duplicate_feature"
  /** A contract's numeric range with min above max. */
  | "invalid_range"
  /** A contract lists a category level twice. */
  | "duplicate_level"
  /** A contract's default level is not among its levels. */
  | "unknown_level"
  /** A feature contract whose stored hash does not match its content. */
  | "contract_hash_mismatch";
