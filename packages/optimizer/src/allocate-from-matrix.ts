import type { AllocationOptions } from "./allocation-options.js";
import type { AllocationResult } from "./allocation-result.js";
import { allocate } from "./allocate.js";
import { candidatesFromMatrix } from "./candidates-from-matrix.js";
import type { CandidateMatrixInput } from "./candidates-from-matrix.js";

/**
 * {@link allocate} on effect predictions in the n x K layout: the candidates are built with
 * {@link candidatesFromMatrix} (every cell but column 0), then allocated under `options`. Give
 * `tauValueLower` and `risk: "lower"` for the risk-aware allocation on a lower confidence bound.
 *
 * @example
 * // 2 units, control + 2 offers, a total budget of 2 on predicted incremental cost
 * const r = allocateFromMatrix(
 *   { nUnits: 2, nActions: 3, tauValue: [0, 3, 5, 0, 2, 1], tauCost: [0, 1, 3, 0, 1, 1] },
 *   { budget: 2 },
 * );
 * r.action; // Int32Array [1, 1]; r.totals.upper_bound is the proven bound
 */
export function allocateFromMatrix(
  input: CandidateMatrixInput,
  options: AllocationOptions = {},
): AllocationResult {
  return allocate(candidatesFromMatrix(input), options);
}
