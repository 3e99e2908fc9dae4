import { CiaError } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import { columnMoments } from "./linear-algebra.js";
import { toFloat64, validateFinite, validateWeights } from "./validate-inputs.js";
import type { LearnersErrorCode } from "./error-codes.js";

/** Options every linear learner shares (see {@link linearDesign}). */
export interface LinearDesignOptions {
  /** Fit an unpenalized intercept. Default true. */
  fitIntercept?: boolean;
  /** Penalize coefficients of columns scaled to unit (weighted) SD; coefficients are reported on the original scale. Default false. */
  standardize?: boolean;
}

/**
 * A validated linear-model fit problem: targets and weights as Float64Array, and the affine map
 * z = (x - center) / scale the solvers work in (center = the weighted column means when an
 * intercept is fitted, scale = the weighted SDs when standardizing, else ones).
 */
export interface LinearDesign {
  fitIntercept: boolean;
  n: number;
  p: number;
  y: Float64Array;
  w: Float64Array | null;
  center: Float64Array;
  scale: Float64Array;
}

/**
 * Validate `fit(x, y, { weights })` of a linear learner named `who` (non-empty x, y of length n,
 * finite features, the learner's own target check, valid weights) and compute the design's
 * centering and scaling, in that order (so the first problem found is the one reported).
 *
 * @example
 * const d = linearDesign("Ridge", x, y, weights, { standardize: true }, () => {});
 */
export function linearDesign(
  who: string,
  x: DenseMatrix,
  yIn: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  options: LinearDesignOptions,
  checkTarget: (y: Float64Array) => void,
): LinearDesign {
  const n = x.rows;
  const p = x.cols;
  if (n < 1) throw new CiaError<LearnersErrorCode>("empty_data", `${who}.fit needs at least one row`, {});
  if (yIn.length !== n)
    throw new CiaError<LearnersErrorCode>("shape_mismatch", `y has length ${yIn.length}, x has ${n} rows`, {
      y: yIn.length,
      rows: n,
    });
  validateFinite(x.data, p, who);
  const y = toFloat64(yIn);
  checkTarget(y);
  const w = weights === undefined ? null : validateWeights(weights, n);
  const { mean, sd } = columnMoments(x.data, n, p, w);
  const fitIntercept = options.fitIntercept ?? true;
  const center = fitIntercept ? mean : new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  if (options.standardize ?? false) for (let j = 0; j < p; j++) scale[j] = sd[j]! > 0 ? sd[j]! : 1;
  return { fitIntercept, n, p, y, w, center, scale };
}

/**
 * Coefficients on the original feature scale from the solver's `b[first + j]` on z, and the
 * intercept moved back from the centered design (`intercept` = the solver's intercept on z).
 *
 * @example
 * const { coef, intercept } = originalScale(d, theta, 1, theta[0]);
 */
export function originalScale(
  d: LinearDesign,
  b: Float64Array,
  first: number,
  intercept: number,
): { coef: Float64Array; intercept: number } {
  const coef = new Float64Array(d.p);
  let b0 = intercept;
  for (let j = 0; j < d.p; j++) {
    coef[j] = b[first + j]! / d.scale[j]!;
    b0 -= coef[j]! * d.center[j]!;
  }
  return { coef, intercept: b0 };
}
