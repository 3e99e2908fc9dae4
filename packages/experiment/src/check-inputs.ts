import { CiaError } from "@cia/core";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Validate the logged arrays every readout takes; returns n. */
export function checkLogged(
  action: ArrayLike<number>,
  propensity: ArrayLike<number>,
  k: number,
  outcomes: Record<string, ArrayLike<number> | undefined> = {},
): number {
  const n = action.length;
  if (!(Number.isInteger(k) && k >= 2))
    throw new CiaError<ExperimentErrorCode>("invalid_option", `k must be an integer >= 2, got ${k}`);
  if (propensity.length !== n) {
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `propensity has ${propensity.length} rows, action has ${n}`,
    );
  }
  for (const [name, y] of Object.entries(outcomes)) {
    if (y && y.length !== n)
      throw new CiaError<ExperimentErrorCode>(
        "shape_mismatch",
        `${name} has ${y.length} rows, action has ${n}`,
      );
  }
  for (let i = 0; i < n; i++) {
    const a = action[i]!;
    if (a < 0) continue; // not assigned (ineligible, other program, holdout): skipped by readouts
    if (!(Number.isInteger(a) && a < k)) {
      throw new CiaError<ExperimentErrorCode>(
        "invalid_action",
        `row ${i}: action ${a} is not in 0..${k - 1}`,
        {
          row: i,
          action: a,
        },
      );
    }
    const p = propensity[i]!;
    checkPropensity(p, i);
  }
  return n;
}

/** Throw `propensity_out_of_range` unless the logged propensity `p` of row `row` is in (0, 1]. */
export function checkPropensity(p: number, row: number): void {
  if (!(p > 0 && p <= 1)) {
    throw new CiaError<ExperimentErrorCode>(
      "propensity_out_of_range",
      `row ${row}: propensity ${p} is not in (0, 1]`,
      {
        row,
        propensity: p,
      },
    );
  }
}
