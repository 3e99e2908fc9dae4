import { z } from "zod";
import { SCHEMA_VERSION } from "./schema-version.js";

// Building blocks shared by the record schemas. Not exported from the package: the record schemas
// are the contract, these only keep the field definitions identical across records.

/** `schema_version: 1`; other versions are refused, never reinterpreted. */
export const schemaVersionField = z
  .literal(SCHEMA_VERSION)
  .describe(`Version of the log contract; this package reads and writes ${SCHEMA_VERSION}.`);

/** A non-empty identifier (decision, unit, event, policy ids). */
export const idField = z.string().min(1);

/**
 * An ISO 8601 date-time with an explicit offset (`Z` or `+hh:mm`): a time without a zone is ambiguous
 * across servers and daylight-saving changes, so it is refused.
 */
export const timeField = z.iso.datetime({ offset: true });
