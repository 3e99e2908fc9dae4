/**
 * Every `code` that @cia/core itself throws. Other packages declare their own union (e.g.
 * `OpeErrorCode`) and throw `CiaError<ThatUnion>`; `CiaError`'s default `string` keeps code that
 * names no union compiling.
 */
export type CoreErrorCode =
  /** Input data failed validation; `details.issues` lists every `DataIssue` found (up to a cap). */
  "data_validation";
