import { CiaError } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import type { FitOptions, Learner } from "./learner.js";
import { columnMoments, solveSymmetric } from "./linear-algebra.js";
import { LinearModel } from "./linear-model.js";
import { toFloat64, validateFinite, validateWeights } from "./validate-inputs.js";

/** Configuration of {@link Ridge}. */
export interface RidgeOptions {
  /** L2 penalty on the coefficients (not the intercept). Default 1. */
  alpha?: number;
  /** Fit an unpenalized intercept. Default true. */
  fitIntercept?: boolean;
  /** Penalize coefficients of columns scaled to unit (weighted) SD; coefficients are reported on the original scale. Default false. */
  standardize?: boolean;
}

/**
 * Ridge regression: minimizes sum_i w_i (y_i - b0 - x_i . b)^2 + alpha |b|^2 (sklearn's `Ridge`
 * objective), solved in closed form by Cholesky on ml-matrix.
 *
 * @example
 * const model = new Ridge({ alpha: 0.5 }).fit(x, y, { weights });
 * const yhat = model.predict(xTest);
 */
export class Ridge implements Learner<LinearModel> {
  readonly kind = "ridge";
  readonly options: Readonly<RidgeOptions>;

  constructor(options: RidgeOptions = {}) {
    this.options = Object.freeze({ ...options });
  }

  fit(x: DenseMatrix, yIn: ArrayLike<number>, options: FitOptions = {}): LinearModel {
    const alpha = this.options.alpha ?? 1;
    if (!(alpha >= 0) || !Number.isFinite(alpha))
      throw new CiaError("invalid_option", `alpha must be >= 0, got ${alpha}`, { alpha });
    const fitIntercept = this.options.fitIntercept ?? true;
    const standardize = this.options.standardize ?? false;
    const n = x.rows;
    const p = x.cols;
    if (n < 1) throw new CiaError("empty_data", "Ridge.fit needs at least one row", {});
    if (yIn.length !== n)
      throw new CiaError("shape_mismatch", `y has length ${yIn.length}, x has ${n} rows`, {
        y: yIn.length,
        rows: n,
      });
    validateFinite(x.data, p, "Ridge");
    const y = toFloat64(yIn);
    validateFinite(y, 1, "Ridge (target)");
    const w = options.weights === undefined ? null : validateWeights(options.weights, n);
    const { mean, sd } = columnMoments(x.data, n, p, w);
    let ym = 0;
    if (fitIntercept) {
      let sw = 0;
      for (let i = 0; i < n; i++) {
        const wi = w ? w[i]! : 1;
        ym += wi * y[i]!;
        sw += wi;
      }
      ym /= sw;
    }
    const center = fitIntercept ? mean : new Float64Array(p);
    const scale = new Float64Array(p).fill(1);
    if (standardize) for (let j = 0; j < p; j++) scale[j] = sd[j]! > 0 ? sd[j]! : 1;
    // Normal equations on the centered (and scaled) design; symmetric, so only the upper triangle is accumulated.
    const a = new Float64Array(p * p);
    const rhs = new Float64Array(p);
    const z = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i]! : 1;
      if (wi === 0) continue;
      const off = i * p;
      for (let j = 0; j < p; j++) z[j] = (x.data[off + j]! - center[j]!) / scale[j]!;
      const r = wi * (y[i]! - ym);
      for (let j = 0; j < p; j++) {
        const wz = wi * z[j]!;
        rhs[j] = rhs[j]! + z[j]! * r;
        for (let k = j; k < p; k++) a[j * p + k] = a[j * p + k]! + wz * z[k]!;
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) a[j * p + k] = a[k * p + j]!;
      a[j * p + j] = a[j * p + j]! + alpha;
    }
    const b = p > 0 ? solveSymmetric(a, rhs, p) : new Float64Array(0);
    const coef = new Float64Array(p);
    let intercept = ym;
    for (let j = 0; j < p; j++) {
      coef[j] = b[j]! / scale[j]!;
      intercept -= coef[j]! * center[j]!;
    }
    return new LinearModel("ridge", fitIntercept ? intercept : 0, coef);
  }
}
