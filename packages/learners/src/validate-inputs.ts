import { CiaError } from "@cia/core";
import type { LearnersErrorCode } from "./error-codes.js";

/** Copy any numeric array-like into a Float64Array (no copy when it already is one). */
export function toFloat64(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/** Check sample weights: length n, finite, >= 0, positive sum. Returns them as Float64Array. */
export function validateWeights(w: ArrayLike<number>, n: number): Float64Array {
  if (w.length !== n)
    throw new CiaError<LearnersErrorCode>("shape_mismatch", `weights has length ${w.length}, expected ${n}`, {
      weights: w.length,
      rows: n,
    });
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new CiaError<LearnersErrorCode>(
        "invalid_weight",
        `weight at row ${i} is ${v}; weights must be finite and >= 0`,
        {
          row: i,
          value: v,
        },
      );
    total += v;
  }
  if (!(total > 0)) throw new CiaError<LearnersErrorCode>("invalid_weight", "weights sum to zero", {});
  return toFloat64(w);
}

/** Check that every feature value is finite (learners without missing-value support). */
export function validateFinite(data: Float64Array, cols: number, who: string): void {
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k]!)) {
      const row = Math.floor(k / cols);
      throw new CiaError<LearnersErrorCode>(
        "invalid_feature",
        `${who}: feature ${k % cols} of row ${row} is ${data[k]}; missing values are not supported`,
        {
          row,
          feature: k % cols,
        },
      );
    }
  }
}
