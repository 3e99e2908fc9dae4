import { CiaError } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import type { FitOptions, Learner } from "./learner.js";
import { solveSymmetric } from "./linear-algebra.js";
import { type LinearDesignOptions, linearDesign, originalScale } from "./linear-design.js";
import { LinearModel } from "./linear-model.js";
import { validateFinite } from "./validate-inputs.js";
import { ConfiguredLearner } from "./configured-learner.js";
import type { LearnersErrorCode } from "./error-codes.js";

/** Configuration of {@link Ridge}. */
export interface RidgeOptions extends LinearDesignOptions {
  /** L2 penalty on the coefficients (not the intercept). Default 1. */
  alpha?: number;
}

/**
 * Ridge regression: minimizes sum_i w_i (y_i - b0 - x_i . b)^2 + alpha |b|^2 (sklearn's `Ridge`
 * objective), solved in closed form by Cholesky on ml-matrix.
 *
 * @example
 * const model = new Ridge({ alpha: 0.5 }).fit(x, y, { weights });
 * const yhat = model.predict(xTest);
 */
export class Ridge extends ConfiguredLearner<RidgeOptions> implements Learner<LinearModel> {
  readonly kind = "ridge";

  fit(x: DenseMatrix, yIn: ArrayLike<number>, options: FitOptions = {}): LinearModel {
    const alpha = this.options.alpha ?? 1;
    if (!(alpha >= 0) || !Number.isFinite(alpha))
      throw new CiaError<LearnersErrorCode>("invalid_option", `alpha must be >= 0, got ${alpha}`, { alpha });
    const design = linearDesign("Ridge", x, yIn, options.weights, this.options, (y) =>
      validateFinite(y, 1, "Ridge (target)"),
    );
    const { fitIntercept, n, p, y, w, center, scale } = design;
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
    const { coef, intercept } = originalScale(design, b, 0, ym);
    return new LinearModel("ridge", fitIntercept ? intercept : 0, coef);
  }
}
