/**
 * Every `code` of a `CiaError` that @cia/warehouse throws (`CiaError<WarehouseErrorCode>`).
 *
 * @example
 * try { await warehouseAllocate(engine, { table: "scores" }, { budget }) }
 * catch (e) { if (CiaError.isInstance(e) && e.code === "unsupported_option") useInProcessAllocate(); }
 */
export type WarehouseErrorCode =
  /** An option outside its domain (a negative budget, bags < 1, a non-integer seed, an unknown engine...). */
  | "invalid_option"
  /** A table or column name that does not match `[A-Za-z_][A-Za-z0-9_]*` (optionally schema-qualified). */
  | "invalid_identifier"
  /** An option the SQL path does not implement (channel/action caps, the efficiency floor...): use the in-process function. */
  | "unsupported_option"
  /** The data in the engine break the contract (a NaN score, an action code below 1, a propensity outside (0, 1]...). */
  | "invalid_input"
  /** The engine could not be reached or refused a statement (the message carries the engine's). */
  | "engine_error";
