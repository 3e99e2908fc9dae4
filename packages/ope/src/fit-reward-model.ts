import type { DenseMatrix } from "@cia/core";
import { HistGradientBoosting, Ridge } from "@cia/learners";
import type { RewardModels } from "./evaluate-policy-types.js";

/** What {@link fitRewardModel} reads: the logged data and, optionally, an effect model's predictions. */
export interface RewardModelInputs {
  /** Features X, n x p (needed with `tau`: the no-offer level m_0(x) is regressed on them). */
  readonly features?: DenseMatrix | undefined;
  /** Logged action per unit, in [0, K); 0 is no offer. */
  readonly action: Int32Array;
  /** Number of actions K. */
  readonly k: number;
  /** Observed outcomes per unit; a cost head is fitted when `cost` is given. */
  readonly outcomes: { readonly value: Float64Array; readonly cost?: Float64Array | undefined };
  /**
   * Effect predictions tau(x, a) = E[Y(a) - Y(0) | x] per head, n x K (column 0 is 0). Without
   * them the model is the per-action mean outcome; a head without its tau gets q_hat = m_0(x).
   */
  readonly tau?:
    | { readonly value?: Float64Array | undefined; readonly cost?: Float64Array | undefined }
    | undefined;
  /** Logging propensity of the logged action; the m_0 fit weighs each row by 1 / propensity (default 1). */
  readonly propensity?: Float64Array | undefined;
}

/** Options of {@link fitRewardModel}. */
export interface FitRewardModelOptions {
  /** Regression of m_0: "gbdt" (default, histogram gradient boosting) or "ridge" (standardized, alpha 1). */
  readonly base?: "gbdt" | "ridge" | undefined;
  /** Cross-fitting folds, assigned by unit order (row i is in fold i mod folds). Default 3. */
  readonly folds?: number | undefined;
  /**
   * Seed of the boosted regression (row and feature subsampling, binning). Default 7, the value
   * every report before this option was written with.
   */
  readonly seed?: number | undefined;
}

/**
 * Reward-model predictions q_hat(x, a) for DM and DR, n x K per head, kept beside the estimators
 * as OBP keeps its `RegressionModel`.
 *
 * With effect predictions: q_hat(x, a) = m_0(x) + tau(x, a), where m_0 (the no-offer outcome
 * level, which an effect model does not carry) is a cross-fitted regression on the no-offer rows
 * weighted by 1 / propensity, so a skewed design does not tilt it. Cross-fitting (as OPE practice
 * and OBP do) gives every row a q_hat from a model that never saw it, so DR's correction stays
 * unbiased. Without effect predictions: the per-action mean outcome (a constant model), which keeps
 * DR unbiased but removes less variance.
 *
 * @example
 * const qHat = fitRewardModel(
 *   { features, action, k: 3, outcomes: { value, cost }, tau: { value: tauValue, cost: tauCost }, propensity },
 *   { base: "gbdt", folds: 3, seed: 7 },
 * );
 * evaluatePolicy(data, { target, qHat });
 */
export function fitRewardModel(inputs: RewardModelInputs, options: FitRewardModelOptions = {}): RewardModels {
  const { outcomes } = inputs;
  const fitHead = (y: Float64Array, tau: Float64Array | undefined) =>
    inputs.tau === undefined
      ? perActionMean(inputs.action, inputs.k, y)
      : baselinePlusEffect(inputs, y, tau, options);
  const value = fitHead(outcomes.value, inputs.tau?.value);
  return outcomes.cost ? { value, cost: fitHead(outcomes.cost, inputs.tau?.cost) } : { value };
}

/** q_hat(x, a) = the mean outcome of the rows logged with action a (0 for an action never logged). */
function perActionMean(action: Int32Array, k: number, y: Float64Array): Float64Array {
  const n = action.length;
  const s = new Float64Array(k);
  const c = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    s[action[i]!]! += y[i]!;
    c[action[i]!]! += 1;
  }
  const q = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) q[i * k + a] = c[a]! > 0 ? s[a]! / c[a]! : 0;
  return q;
}

/** q_hat(x, a) = m_0(x) + tau(x, a), m_0 cross-fitted on the no-offer rows. */
function baselinePlusEffect(
  inputs: RewardModelInputs,
  y: Float64Array,
  tau: Float64Array | undefined,
  options: FitRewardModelOptions,
): Float64Array {
  const { action, k, propensity } = inputs;
  const features = inputs.features;
  if (features === undefined)
    throw new RangeError("fitRewardModel: effect predictions need the feature matrix");
  const n = action.length;
  const folds = options.folds ?? 3;
  const m0 = new Float64Array(n);
  for (let f = 0; f < folds; f++) {
    const fitRows: number[] = [];
    const predictRows: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % folds === f) predictRows.push(i);
      else if (action[i] === 0) fitRows.push(i);
    }
    if (predictRows.length === 0) continue;
    const fitted = baseRegression(options).fit(
      features.selectRows(fitRows),
      Float64Array.from(fitRows, (i) => y[i]!),
      { weights: Float64Array.from(fitRows, (i) => (propensity ? 1 / propensity[i]! : 1)) },
    );
    const pred = fitted.predict(features.selectRows(predictRows));
    for (let j = 0; j < predictRows.length; j++) m0[predictRows[j]!] = pred[j]!;
  }
  const q = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) q[i * k + a] = m0[i]! + (tau ? tau[i * k + a]! : 0);
  return q;
}

/** A fresh m_0 regression: slow, shallow, regularized boosting (the outcome is noisy), or ridge. */
function baseRegression(options: FitRewardModelOptions): Ridge | HistGradientBoosting {
  return options.base === "ridge"
    ? new Ridge({ alpha: 1, standardize: true })
    : new HistGradientBoosting({
        maxIter: 100,
        learningRate: 0.05,
        maxLeafNodes: 7,
        minSamplesLeaf: 100,
        l2Regularization: 5,
        seed: options.seed ?? 7,
      });
}
