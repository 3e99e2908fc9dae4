import { CiaError } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import type { FitOptions, Learner } from "./learner.js";
import { solveSymmetric } from "./linear-algebra.js";
import { type LinearDesignOptions, linearDesign, originalScale } from "./linear-design.js";
import { LinearModel } from "./linear-model.js";
import { ConfiguredLearner } from "./configured-learner.js";
import type { LearnersErrorCode } from "./error-codes.js";

/** Configuration of {@link LogisticRegression}. */
export interface LogisticRegressionOptions extends LinearDesignOptions {
  /** Inverse penalty strength as in sklearn (penalty 1/(2C) |b|^2 against the summed log-loss). Default 1. */
  C?: number;
  /** Penalty lambda directly (lambda/2 |b|^2); overrides C. 0 = unpenalized. */
  l2?: number;
  /** Newton (IRLS) iterations. Default 100. */
  maxIter?: number;
  /** Stop when the largest Newton step component is below tol. Default 1e-10. */
  tol?: number;
}

/**
 * Binary logistic regression with L2 penalty and sample weights, fitted by IRLS (Newton steps
 * with step halving) on ml-matrix. Minimizes sum_i w_i [log(1 + e^{eta_i}) - y_i eta_i] + lambda/2 |b|^2,
 * which is sklearn's `LogisticRegression(C)` objective with lambda = 1/C. Targets in [0, 1].
 *
 * @example
 * const model = new LogisticRegression({ C: 1 }).fit(x, y01);
 * const p = model.predict(xTest); // probabilities
 */
export class LogisticRegression
  extends ConfiguredLearner<LogisticRegressionOptions>
  implements Learner<LinearModel>
{
  readonly kind = "logistic";

  fit(x: DenseMatrix, yIn: ArrayLike<number>, options: FitOptions = {}): LinearModel {
    const o = this.options;
    const C = o.C ?? 1;
    if (o.l2 === undefined && !(C > 0))
      throw new CiaError<LearnersErrorCode>("invalid_option", `C must be > 0, got ${C}`, { C });
    const lambda = o.l2 ?? 1 / C;
    if (!(lambda >= 0) || !Number.isFinite(lambda))
      throw new CiaError<LearnersErrorCode>("invalid_option", `l2 must be finite and >= 0, got ${lambda}`, {
        l2: lambda,
      });
    const maxIter = o.maxIter ?? 100;
    const tol = o.tol ?? 1e-10;
    const design = linearDesign("LogisticRegression", x, yIn, options.weights, o, checkProbabilities);
    // Centering only reparametrizes the unpenalized intercept; it keeps Newton well conditioned.
    const { fitIntercept, n, p, y, w, center, scale } = design;
    const k = p + (fitIntercept ? 1 : 0);
    const first = fitIntercept ? 1 : 0;
    const z = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      if (fitIntercept) z[i * k] = 1;
      for (let j = 0; j < p; j++) z[i * k + first + j] = (x.data[i * p + j]! - center[j]!) / scale[j]!;
    }
    const theta = new Float64Array(k);
    const eta = new Float64Array(n);
    const objective = (t: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        let e = 0;
        for (let j = 0; j < k; j++) e += z[i * k + j]! * t[j]!;
        eta[i] = e;
        const l = (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) - y[i]! * e;
        s += (w ? w[i]! : 1) * l;
      }
      for (let j = first; j < k; j++) s += 0.5 * lambda * t[j]! * t[j]!;
      return s;
    };
    let obj = objective(theta);
    const hess = new Float64Array(k * k);
    const grad = new Float64Array(k);
    const trial = new Float64Array(k);
    let iter = 0;
    for (; iter < maxIter; iter++) {
      hess.fill(0);
      grad.fill(0);
      for (let i = 0; i < n; i++) {
        const wi = w ? w[i]! : 1;
        if (wi === 0) continue;
        const pi = 1 / (1 + Math.exp(-eta[i]!));
        const r = wi * (pi - y[i]!);
        const v = wi * pi * (1 - pi);
        const off = i * k;
        for (let a = 0; a < k; a++) {
          const za = z[off + a]!;
          grad[a] = grad[a]! + r * za;
          const vz = v * za;
          for (let b = a; b < k; b++) hess[a * k + b] = hess[a * k + b]! + vz * z[off + b]!;
        }
      }
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < a; b++) hess[a * k + b] = hess[b * k + a]!;
        if (a >= first) {
          hess[a * k + a] = hess[a * k + a]! + lambda;
          grad[a] = grad[a]! + lambda * theta[a]!;
        }
      }
      const step = solveSymmetric(hess, grad, k);
      let t = 1;
      let newObj = obj;
      for (let half = 0; half < 30; half++) {
        for (let j = 0; j < k; j++) trial[j] = theta[j]! - t * step[j]!;
        newObj = objective(trial);
        if (newObj <= obj + 1e-12 * Math.abs(obj)) break;
        t /= 2;
      }
      let maxStep = 0;
      for (let j = 0; j < k; j++) maxStep = Math.max(maxStep, Math.abs(theta[j]! - trial[j]!));
      theta.set(trial);
      obj = objective(theta); // refresh eta for the accepted point
      if (maxStep < tol) {
        iter++;
        break;
      }
    }
    const { coef, intercept } = originalScale(design, theta, first, fitIntercept ? theta[0]! : 0);
    return new LinearModel("logistic", intercept, coef, iter);
  }
}

function checkProbabilities(y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    if (!(y[i]! >= 0 && y[i]! <= 1))
      throw new CiaError<LearnersErrorCode>(
        "invalid_target",
        `logistic regression needs targets in [0, 1]; row ${i} is ${y[i]}`,
        {
          row: i,
        },
      );
  }
}
