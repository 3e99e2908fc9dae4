import { CiaError } from "@cia/core";
import { type Candidates, createCandidates } from "./candidates.js";

/** Input of {@link candidatesFromMatrix}: per-(unit, action) arrays, row-major n x K. */
export interface CandidateMatrixInput {
  nUnits: number;
  /** K, including column 0 (the no-offer arm, whose scores are ignored). */
  nActions: number;
  tauValue: ArrayLike<number>;
  tauCost: ArrayLike<number>;
  /** n x K; 0 marks an ineligible pair (its scores may be NaN). */
  eligible?: ArrayLike<number> | undefined;
  /** Channel code per action (length K) or per pair (length n x K). */
  channel?: ArrayLike<number> | undefined;
  tauValueLower?: ArrayLike<number> | undefined;
  tauValueSe?: ArrayLike<number> | undefined;
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
    throw new CiaError("invalid_argument", `nActions must be >= 1, got ${k}`);
  const nk = n * k;
  for (const [name, arr] of [
    ["tauValue", input.tauValue],
    ["tauCost", input.tauCost],
    ["eligible", input.eligible],
    ["tauValueLower", input.tauValueLower],
    ["tauValueSe", input.tauValueSe],
  ] as const) {
    if (arr && arr.length !== nk) {
      throw new CiaError("shape_mismatch", `${name} must have n x K = ${nk} entries, got ${arr.length}`);
    }
  }
  const ch = input.channel;
  if (ch && ch.length !== k && ch.length !== nk) {
    throw new CiaError(
      "shape_mismatch",
      `channel must have K = ${k} or n x K = ${nk} entries, got ${ch.length}`,
    );
  }
  const rows = n * (k - 1);
  const unit = new Int32Array(rows);
  const action = new Int32Array(rows);
  const tauValue = new Float64Array(rows);
  const tauCost = new Float64Array(rows);
  const eligible = input.eligible ? new Uint8Array(rows) : undefined;
  const channel = ch ? new Int32Array(rows) : undefined;
  const lower = input.tauValueLower ? new Float64Array(rows) : undefined;
  const se = input.tauValueSe ? new Float64Array(rows) : undefined;
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
  return createCandidates({
    nUnits: n,
    unit,
    action,
    tauValue,
    tauCost,
    eligible,
    channel,
    tauValueLower: lower,
    tauValueSe: se,
  });
}
