/**
 * The version of the log contract written into every record's `schema_version` field.
 *
 * Readers refuse records of other versions (code `unsupported_schema_version`) rather than guess:
 * a changed meaning of a field must never be read silently with the old meaning.
 *
 * @example
 * const decision = { schema_version: SCHEMA_VERSION, decision_id: "d1", ... };
 */
export const SCHEMA_VERSION = 1 as const;
