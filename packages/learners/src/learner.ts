import type { DenseMatrix } from "@cia/core";

/**
 * The one interface every base learner implements. A learner only stores configuration; `fit`
 * validates and trains, and returns an immutable fitted model that serializes to JSON.
 *
 * Features are a row-major `DenseMatrix` (n rows x p columns, NaN = missing where the learner
 * supports it), targets and weights are flat arrays of length n.
 */
export interface Learner<M extends FittedModel = FittedModel> {
  /** A short name, e.g. "gbdt", "ridge", "logistic". */
  readonly kind: string;
  fit(x: DenseMatrix, y: ArrayLike<number>, options?: FitOptions): M;
}

export interface FitOptions {
  /** Sample weights (>= 0), length n. Weight k is equivalent to repeating the row k times. */
  weights?: ArrayLike<number>;
  /** Held-out data for early stopping, when the learner supports it. */
  validation?: { x: DenseMatrix; y: ArrayLike<number>; weights?: ArrayLike<number> };
}

/** A trained model: predictions into a Float64Array, and a JSON form loadable without training code. */
export interface FittedModel {
  readonly kind: string;
  /** Number of feature columns expected by `predict`. */
  readonly nFeatures: number;
  /** Predictions for every row of `x` (probabilities for classifiers, means for regressors). */
  predict(x: DenseMatrix, out?: Float64Array): Float64Array;
  toJSON(): ModelJson;
}

/** The serialized form of any fitted model; `kind` selects the loader. */
export interface ModelJson {
  kind: string;
  version: 1;
  [key: string]: unknown;
}
