import type { DenseMatrix } from "@cia/core";
import type { FitOptions, FittedModel, Learner, ModelJson } from "@cia/learners";

/**
 * Builds a fresh, unfitted base learner. The meta-learners call it once per model they fit, so a
 * factory (not an instance) is what they take: `() => new HistGradientBoosting({ maxIter: 100 })`.
 *
 * @example
 * const factory: LearnerFactory = () => new Ridge({ alpha: 1 });
 */
export type LearnerFactory = () => Learner;

/**
 * Fit options computed once from a full design matrix and passed to every fit on rows of it (its
 * subsets and bootstrap resamples). The use: one histogram-boosting bin mapper shared by all fits,
 * `(x) => ({ binMapper: BinMapper.fit(x) })`, so B bootstrap resamples bin once.
 *
 * @example
 * const shared: SharedFitOptions = (x) => ({ binMapper: BinMapper.fit(x, { maxBins: 255 }) });
 */
export type SharedFitOptions = (x: DenseMatrix) => Record<string, unknown>;

/** Loads a fitted base model from its JSON (e.g. `loadModel` of @cia/learners). */
export type ModelLoader = (json: ModelJson) => FittedModel;

/** Settings of one head (value or cost): its own base learners and shared fit options. */
export interface HeadOptions {
  /** Outcome models (S, T, X stage 1, DR nuisances). */
  learner: LearnerFactory;
  /** Effect models (X stage 2 and the DR pseudo-outcome regression); default `learner`. */
  effectLearner?: LearnerFactory | undefined;
  /** Fit options shared across all fits on the same design matrix (see SharedFitOptions). */
  sharedFitOptions?: SharedFitOptions | undefined;
}

/** Fit one base model with optional shared extras and weights. */
export function fitBase(
  factory: LearnerFactory,
  x: DenseMatrix,
  y: Float64Array,
  extra: Record<string, unknown> | undefined,
): FittedModel {
  const opts = (extra ?? {}) as FitOptions;
  return factory().fit(x, y, opts);
}
