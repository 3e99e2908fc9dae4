import { CiaError } from "@cia/core";
import type { OptimizerErrorCode } from "./error-codes.js";

/**
 * The assignment that gives every one of `nUnits` units the same action (0 = no offer for anyone;
 * a fixed offer for everyone is the "treat all" policy). One action per unit, as every policy of
 * this package returns; `oneHotActions` from @cia/core turns it into an n x K matrix.
 *
 * @example
 * constantActions(3, 2); // Int32Array [2, 2, 2]
 */
export function constantActions(nUnits: number, action: number): Int32Array {
  if (!(Number.isInteger(nUnits) && nUnits >= 0))
    throw new CiaError<OptimizerErrorCode>(
      "invalid_option",
      `nUnits must be a non-negative integer, got ${nUnits}`,
      { nUnits },
    );
  if (!(Number.isInteger(action) && action >= 0))
    throw new CiaError<OptimizerErrorCode>(
      "invalid_option",
      `action must be a non-negative integer, got ${action}`,
      { action },
    );
  return new Int32Array(nUnits).fill(action);
}
