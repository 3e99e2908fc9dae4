import { CiaError } from "@cia/core";
import type { OptimizerErrorCode } from "./error-codes.js";

/**
 * Effect scores of every (unit, action) pair the optimizer may choose from, in long columnar form:
 * candidate row `i` proposes action `action[i]` to unit `unit[i]` with incremental value
 * `tauValue[i]` (tau^v) and incremental cost `tauCost[i]` (tau^c), both relative to no offer.
 *
 * Conventions:
 * - units are `0..nUnits-1`; action code 0 is the no-offer arm ("control") and is never a candidate
 *   (its effects are 0 by definition), so `action[i] >= 1`;
 * - rows may come in any order and a unit may have any number of rows (including none);
 * - `eligible[i] === 0` marks a pair the unit may not receive (pruned, counted as `ineligible`);
 * - `channel[i]` is a small non-negative integer code used by per-channel caps;
 * - `tauValueLower` / `tauValueSe` feed the risk-aware mode (allocate on a lower confidence bound).
 *
 * Build it with {@link createCandidates} (validates: NaN or infinite scores are rejected with the
 * rows named), {@link candidatesFromMatrix} (n x K row-major arrays) or {@link candidatesFromRows}.
 */
export interface Candidates {
  readonly nUnits: number;
  readonly unit: Int32Array;
  readonly action: Int32Array;
  readonly tauValue: Float64Array;
  readonly tauCost: Float64Array;
  readonly eligible?: Uint8Array | undefined;
  readonly channel?: Int32Array | undefined;
  readonly tauValueLower?: Float64Array | undefined;
  readonly tauValueSe?: Float64Array | undefined;
}

/**
 * The score columns every candidate layout carries (see {@link Candidates} for their meaning),
 * as plain array-likes: one entry per candidate row, or per (unit, action) cell in the n x K
 * layout of {@link candidatesFromMatrix}.
 */
export interface CandidateScoreColumns {
  tauValue: ArrayLike<number>;
  tauCost: ArrayLike<number>;
  eligible?: ArrayLike<number> | undefined;
  channel?: ArrayLike<number> | undefined;
  tauValueLower?: ArrayLike<number> | undefined;
  tauValueSe?: ArrayLike<number> | undefined;
}

/** Input of {@link createCandidates}: the columns of {@link Candidates} as plain array-likes. */
export interface CandidatesInput extends CandidateScoreColumns {
  nUnits: number;
  unit: ArrayLike<number>;
  action: ArrayLike<number>;
}

/** Freshly allocated columns for `rows` candidate rows, filled in place by the builders. */
export interface CandidateColumns {
  unit: Int32Array;
  action: Int32Array;
  tauValue: Float64Array;
  tauCost: Float64Array;
  eligible: Uint8Array | undefined;
  channel: Int32Array | undefined;
  tauValueLower: Float64Array | undefined;
  tauValueSe: Float64Array | undefined;
}

/**
 * Allocate the columns of `rows` candidates; the optional ones only when asked for. A missing
 * lower bound or standard error reads NaN until a row sets it.
 */
export function allocateCandidateColumns(
  rows: number,
  optional: { eligible: boolean; channel: boolean; tauValueLower: boolean; tauValueSe: boolean },
): CandidateColumns {
  return {
    unit: new Int32Array(rows),
    action: new Int32Array(rows),
    tauValue: new Float64Array(rows),
    tauCost: new Float64Array(rows),
    eligible: optional.eligible ? new Uint8Array(rows) : undefined,
    channel: optional.channel ? new Int32Array(rows) : undefined,
    tauValueLower: optional.tauValueLower ? new Float64Array(rows).fill(Number.NaN) : undefined,
    tauValueSe: optional.tauValueSe ? new Float64Array(rows).fill(Number.NaN) : undefined,
  };
}

const MAX_NAMED_ROWS = 20;

function toF64(x: ArrayLike<number>): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}
function toI32(x: ArrayLike<number>): Int32Array {
  return x instanceof Int32Array ? x : Int32Array.from(x);
}

/** Throw `non_finite_score` naming up to 20 eligible rows whose `x` is NaN or infinite. */
export function checkFinite(name: string, x: Float64Array, eligible: Uint8Array | undefined): void {
  let bad: number[] | undefined;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    // v - v is NaN exactly for NaN and +-Infinity: one comparison in the hot loop.
    if (v - v !== 0 && (eligible === undefined || eligible[i] !== 0)) {
      count++;
      if (count <= MAX_NAMED_ROWS) (bad ??= []).push(i);
    }
  }
  if (count > 0) {
    throw new CiaError<OptimizerErrorCode>(
      "non_finite_score",
      `${name} is NaN or infinite in ${count} candidate row(s): ${bad!.join(", ")}${count > MAX_NAMED_ROWS ? ", ..." : ""}. ` +
        "Drop those rows, mark them ineligible, or fix the scoring step.",
      { field: name, rows: bad, count },
    );
  }
}

/**
 * Validate and wrap candidate columns (copies only arrays that are not already the right typed
 * array). Throws `CiaError` with code `shape_mismatch`, `invalid_unit`, `invalid_action` or
 * `non_finite_score` (naming up to 20 rows); ineligible rows are not checked for NaN.
 *
 * @example
 * const c = createCandidates({ nUnits: 2, unit: [0, 0, 1], action: [1, 2, 1],
 *   tauValue: [3, 5, 2], tauCost: [1, 3, 1] });
 */
export function createCandidates(input: CandidatesInput): Candidates {
  const { nUnits } = input;
  if (!Number.isInteger(nUnits) || nUnits < 0) {
    throw new CiaError<OptimizerErrorCode>(
      "invalid_option",
      `nUnits must be a non-negative integer, got ${nUnits}`,
      {
        nUnits,
      },
    );
  }
  const n = input.unit.length;
  const lengths: Record<string, number> = {
    unit: n,
    action: input.action.length,
    tauValue: input.tauValue.length,
    tauCost: input.tauCost.length,
  };
  if (input.eligible) lengths.eligible = input.eligible.length;
  if (input.channel) lengths.channel = input.channel.length;
  if (input.tauValueLower) lengths.tauValueLower = input.tauValueLower.length;
  if (input.tauValueSe) lengths.tauValueSe = input.tauValueSe.length;
  for (const [k, len] of Object.entries(lengths)) {
    if (len !== n) {
      throw new CiaError<OptimizerErrorCode>(
        "shape_mismatch",
        `candidate column ${k} has ${len} rows, unit has ${n}`,
        {
          lengths,
        },
      );
    }
  }
  const unit = toI32(input.unit);
  const action = toI32(input.action);
  for (let i = 0; i < n; i++) {
    const u = unit[i]!;
    if (u < 0 || u >= nUnits || u !== input.unit[i]) {
      throw new CiaError<OptimizerErrorCode>(
        "invalid_unit",
        `candidate row ${i}: unit ${input.unit[i]} is not in 0..${nUnits - 1}`,
        {
          row: i,
        },
      );
    }
    const a = action[i]!;
    if (a < 1 || a !== input.action[i]) {
      throw new CiaError<OptimizerErrorCode>(
        "invalid_action",
        `candidate row ${i}: action code ${input.action[i]} must be an integer >= 1 (0 is the no-offer arm)`,
        { row: i },
      );
    }
  }
  const eligible = input.eligible
    ? input.eligible instanceof Uint8Array
      ? input.eligible
      : Uint8Array.from(input.eligible, (e) => (e ? 1 : 0))
    : undefined;
  const tauValue = toF64(input.tauValue);
  const tauCost = toF64(input.tauCost);
  checkFinite("tau_value", tauValue, eligible);
  checkFinite("tau_cost", tauCost, eligible);
  let channel: Int32Array | undefined;
  if (input.channel) {
    channel = toI32(input.channel);
    for (let i = 0; i < n; i++) {
      if (channel[i]! < 0 || channel[i] !== input.channel[i]) {
        throw new CiaError<OptimizerErrorCode>(
          "invalid_channel",
          `candidate row ${i}: channel code must be an integer >= 0`,
          {
            row: i,
          },
        );
      }
    }
  }
  let tauValueLower: Float64Array | undefined;
  if (input.tauValueLower) {
    tauValueLower = toF64(input.tauValueLower);
    checkFinite("tau_value_lower", tauValueLower, eligible);
  }
  let tauValueSe: Float64Array | undefined;
  if (input.tauValueSe) {
    tauValueSe = toF64(input.tauValueSe);
    checkFinite("tau_value_se", tauValueSe, eligible);
    for (let i = 0; i < n; i++) {
      if (tauValueSe[i]! < 0 && (eligible === undefined || eligible[i] !== 0)) {
        throw new CiaError<OptimizerErrorCode>(
          "invalid_option",
          `candidate row ${i}: tau_value_se must be >= 0`,
          { row: i },
        );
      }
    }
  }
  return { nUnits, unit, action, tauValue, tauCost, eligible, channel, tauValueLower, tauValueSe };
}
