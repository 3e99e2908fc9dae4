/**
 * Error codes of @cia/model, one name per meaning.
 * - `usage`: the table or options cannot train a model (a missing column, an unknown control); the message says the flag or column to fix.
 * - `invalid_input`: a row of the table is wrong (an unknown action), with file and line.
 * - `invalid_model`: the file is not a cia model file.
 * - `contract_mismatch`: the feature contract does not match its hash, or the table misses the model's segment column.
 * - `file_not_found`: the model file does not exist.
 */
export type ModelErrorCode =
  | "usage"
  | "invalid_input"
  | "invalid_model"
  | "contract_mismatch"
  | "file_not_found";
