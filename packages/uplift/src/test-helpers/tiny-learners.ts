import type { DenseMatrix } from "@cia/core";
import type { FitOptions, FittedModel, Learner, ModelJson } from "@cia/learners";

/** Solve the symmetric positive definite system A x = b (Cholesky), A is d x d row-major. */
function solveSpd(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let q = 0; q < j; q++) s -= l[i * d + q]! * l[j * d + q]!;
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * d + j]!;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let q = 0; q < i; q++) s -= l[i * d + q]! * z[q]!;
    z[i] = s / l[i * d + i]!;
  }
  const out = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let q = i + 1; q < d; q++) s -= l[q * d + i]! * out[q]!;
    out[i] = s / l[i * d + i]!;
  }
  return out;
}

class LinearModel implements FittedModel {
  constructor(
    readonly kind: string,
    readonly coef: Float64Array,
    readonly intercept: number,
    readonly logistic: boolean,
  ) {}
  get nFeatures(): number {
    return this.coef.length;
  }
  predict(x: DenseMatrix, out = new Float64Array(x.rows)): Float64Array {
    const p = this.coef.length;
    for (let i = 0; i < x.rows; i++) {
      let s = this.intercept;
      for (let j = 0; j < p; j++) s += this.coef[j]! * x.data[i * p + j]!;
      out[i] = this.logistic ? 1 / (1 + Math.exp(-s)) : s;
    }
    return out;
  }
  toJSON(): ModelJson {
    return { kind: this.kind, version: 1, coef: Array.from(this.coef), intercept: this.intercept };
  }
}

/** Weighted ridge (unpenalized intercept), closed form: a test stand-in for @cia/learners' Ridge. */
export class TinyRidge implements Learner {
  readonly kind = "tiny-ridge";
  constructor(private readonly alpha = 1e-6) {}
  fit(x: DenseMatrix, y: ArrayLike<number>, options: FitOptions = {}): FittedModel {
    const { coef, intercept } = weightedRidge(x, y, options.weights, this.alpha);
    return new LinearModel(this.kind, coef, intercept, false);
  }
}

function weightedRidge(x: DenseMatrix, y: ArrayLike<number>, w: ArrayLike<number> | undefined, alpha: number) {
  const n = x.rows;
  const p = x.cols;
  const d = p + 1;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    row[0] = 1;
    for (let j = 0; j < p; j++) row[j + 1] = x.data[i * p + j]!;
    for (let r = 0; r < d; r++) {
      b[r]! += wi * row[r]! * y[i]!;
      for (let c = 0; c <= r; c++) a[r * d + c]! += wi * row[r]! * row[c]!;
    }
  }
  for (let r = 0; r < d; r++) for (let c = 0; c < r; c++) a[c * d + r] = a[r * d + c]!;
  for (let r = 1; r < d; r++) a[r * d + r]! += alpha;
  const beta = solveSpd(a, b, d);
  return { coef: beta.slice(1), intercept: beta[0]! };
}

/** L2 logistic regression by Newton (IRLS): a test stand-in for @cia/learners' LogisticRegression. */
export class TinyLogistic implements Learner {
  readonly kind = "tiny-logistic";
  constructor(private readonly alpha = 1e-3) {}
  fit(x: DenseMatrix, y: ArrayLike<number>): FittedModel {
    const n = x.rows;
    const p = x.cols;
    let coef = new Float64Array(p);
    let intercept = 0;
    const z = new Float64Array(n);
    const w = new Float64Array(n);
    for (let it = 0; it < 25; it++) {
      const m = new LinearModel("tiny-logistic", coef, intercept, true);
      const mu = m.predict(x);
      for (let i = 0; i < n; i++) {
        const v = Math.max(mu[i]! * (1 - mu[i]!), 1e-6);
        w[i] = v;
        let eta = intercept;
        for (let j = 0; j < p; j++) eta += coef[j]! * x.data[i * p + j]!;
        z[i] = eta + (y[i]! - mu[i]!) / v;
      }
      const r = weightedRidge(x, z, w, this.alpha);
      let delta = Math.abs(r.intercept - intercept);
      for (let j = 0; j < p; j++) delta = Math.max(delta, Math.abs(r.coef[j]! - coef[j]!));
      coef = r.coef;
      intercept = r.intercept;
      if (delta < 1e-8) break;
    }
    return new LinearModel(this.kind, coef, intercept, true);
  }
}

/** Loader for the tiny models' JSON. */
export function loadTinyModel(json: ModelJson): FittedModel {
  const coef = Float64Array.from(json.coef as number[]);
  return new LinearModel(json.kind, coef, json.intercept as number, json.kind === "tiny-logistic");
}
