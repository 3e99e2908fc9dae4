import { CiaError } from "@cia/core";
import type { PacerErrorCode } from "./error-codes.js";

/**
 * The `invalid_option` error of an option `field` whose `value` breaks `rule` (thrown by the
 * constructors and fits that validate their options).
 *
 * @example
 * if (!(eta >= 0)) throw invalidOption("eta", eta, "finite and >= 0");
 */
export function invalidOption(field: string, value: unknown, rule: string): CiaError<PacerErrorCode> {
  return new CiaError<PacerErrorCode>("invalid_option", `${field} must be ${rule}, got ${String(value)}`, {
    [field]: value,
  });
}
