/**
 * Error codes of @cia/model, one name per meaning.
 * - `usage`: the table or options cannot train a model (a missing column, an unknown control); the message says the flag or column to fix.
 * - `invalid_input`: a row of the table is wrong (an unknown action), with file and line.
 * - `invalid_model`: the file is not a cia model file, or a part of it is invalid (unknown field, wrong type, a
 *   non-finite number, a tree that is cyclic or out of range, sections that disagree); the message names the file
 *   and the JSON path (`model.json: $.uplift.pooled[0]...: reason`) and `details` holds `{ file, path, reason }`.
 * - `checksum_mismatch`: the file's content no longer matches the checksum written with it (edited after training).
 * - `contract_mismatch`: the feature contract does not match its hash, or the table misses the model's segment column.
 * - `file_not_found`: the model file does not exist.
 */
export type ModelErrorCode =
  | "usage"
  | "invalid_input"
  | "invalid_model"
  | "contract_mismatch"
  | "checksum_mismatch"
  | "file_not_found";
