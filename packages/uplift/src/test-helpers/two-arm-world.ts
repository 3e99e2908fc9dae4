import { createRng, denseMatrix, type DenseMatrix } from "@cia/core";

/** A two-arm world with known effects, for tests. */
export interface TwoArmWorld {
  x: DenseMatrix;
  action: Int32Array;
  value: Float64Array;
  /** Logged propensities n x 2 (all 0.5). */
  propensity: Float64Array;
  /** The true effect of the offer per row. */
  tau: Float64Array;
}

/**
 * Two arms, uniform assignment, nonlinear baseline, effect 1 + 1{x0 > 0}; noise sd `sd0` on no-offer
 * and `sd1` on the offer. The effect model fitted on the quiet arm's imputations is the better one,
 * so whether a stacked weight beats the propensity weight 0.5 depends on which arm is quiet.
 *
 * @example
 * const w = twoArmWorld(2000, 5, 0.1, 2);
 */
export function twoArmWorld(n: number, seed: number, sd0: number, sd1: number): TwoArmWorld {
  const rng = createRng(seed);
  const x = denseMatrix(n, 3);
  for (let j = 0; j < n * 3; j++) x.data[j] = rng.normal();
  const action = new Int32Array(n);
  const value = new Float64Array(n);
  const tau = new Float64Array(n);
  const propensity = new Float64Array(n * 2).fill(0.5);
  for (let i = 0; i < n; i++) {
    const x0 = x.data[i * 3]!;
    const a = rng.bernoulli(0.5);
    action[i] = a;
    tau[i] = 1 + (x0 > 0 ? 1 : 0);
    value[i] = Math.sin(2 * x0) + 2 * x0 * x0 + a * tau[i]! + rng.normal(0, a ? sd1 : sd0);
  }
  return { x, action, value, propensity, tau };
}

/**
 * Mean squared error of the offer column of an n x 2 effect matrix against the true effect (PEHE).
 *
 * @example
 * twoArmPehe(model.predict(w.x).tauValue, w.tau);
 */
export function twoArmPehe(tau: Float64Array, truth: Float64Array): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (tau[i * 2 + 1]! - truth[i]!) ** 2;
  return s / truth.length;
}
