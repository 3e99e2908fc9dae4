import { CiaError } from "@cia/core";
import {
  type CandidateScoreColumns,
  type Candidates,
  allocateCandidateColumns,
  createCandidates,
} from "./candidates.js";
import type { OptimizerErrorCode } from "./error-codes.js";

/**
 * Input of {@link candidatesFromMatrix}: per-(unit, action) arrays, row-major n x K (cell
 * `u * K + a`). Column 0, the no-offer arm, is ignored. `eligible` 0 marks an ineligible pair (its
 * scores may be NaN); `channel` is a code per action (length K) or per pair (length n x K).
 */
export interface CandidateMatrixInput extends CandidateScoreColumns {
  nUnits: number;
  /** K, including column 0 (the no-offer arm, whose scores are ignored). */
  nActions: number;
}

/**
 * Candidates from the cross-package n x K layout (row-major, action 0 = no offer). Column 0 is
 * skipped; every other cell becomes one candidate row with `action` = its column. Missing pairs
 * are marked through `eligible` (NaN in an eligible cell is rejected).
 *
 * @example
 * // 2 units, control + 2 offers
 * const c = candidatesFromMatrix({ nUnits: 2, nActions: 3,
 *   tauValue: [0, 3, 5, 0, 2, 1], tauCost: [0, 1, 3, 0, 1, 1] });
 */
export function candidatesFromMatrix(input: CandidateMatrixInput): Candidates {
  const { nUnits: n, nActions: k } = input;
  if (!Number.isInteger(k) || k < 1)
    throw new CiaError<OptimizerErrorCode>("invalid_option", `nActions must be >= 1, got ${k}`);
  const nk = n * k;
  for (const [name, arr] of [
    ["tauValue", input.tauValue],
    ["tauCost", input.tauCost],
    ["eligible", input.eligible],
    ["tauValueLower", input.tauValueLower],
    ["tauValueSe", input.tauValueSe],
  ] as const) {
    if (arr && arr.length !== nk) {
      throw new CiaError<OptimizerErrorCode>(
        "shape_mismatch",
        `${name} must have n x K = ${nk} entries, got ${arr.length}`,
      );
    }
  }
  const ch = input.channel;
  if (ch && ch.length !== k && ch.length !== nk) {
    throw new CiaError<OptimizerErrorCode>(
      "shape_mismatch",
      `channel must have K = ${k} or n x K = ${nk} entries, got ${ch.length}`,
    );
  }
  const cols = allocateCandidateColumns(n * (k - 1), {
    eligible: input.eligible !== undefined,
    channel: ch !== undefined,
    tauValueLower: input.tauValueLower !== undefined,
    tauValueSe: input.tauValueSe !== undefined,
  });
  const { unit, action, tauValue, tauCost, eligible, channel, tauValueLower: lower, tauValueSe: se } = cols;
  let r = 0;
  for (let u = 0; u < n; u++) {
    for (let a = 1; a < k; a++) {
      const cell = u * k + a;
      unit[r] = u;
      action[r] = a;
      tauValue[r] = input.tauValue[cell]!;
      tauCost[r] = input.tauCost[cell]!;
      if (eligible) eligible[r] = input.eligible![cell] ? 1 : 0;
      if (channel) channel[r] = ch!.length === k ? ch![a]! : ch![cell]!;
      if (lower) lower[r] = input.tauValueLower![cell]!;
      if (se) se[r] = input.tauValueSe![cell]!;
      r++;
    }
  }
  return createCandidates({ nUnits: n, ...cols });
}
