import { createRng } from "@cia/core";
import type { EstimatorInputs } from "../types.js";

/**
 * The hand-computed example of the estimator tests (K = 2, n = 4):
 * w = [0.4, 1, 0, 0.8]; IPS = 0.7; SNIPS = 0.7 / 0.55; DM = 1.4875; DR = 1.4375;
 * SNDR = (5.95 - 0.2 / 0.55) / 4.
 */
export function tinyInputs(): EstimatorInputs {
  return {
    k: 2,
    action: Int32Array.of(0, 1, 1, 0),
    propensity: Float64Array.of(0.5, 0.5, 0.25, 0.75),
    reward: Float64Array.of(1, 0, 2, 3),
    target: Float64Array.of(0.2, 0.8, 0.5, 0.5, 1, 0, 0.6, 0.4),
    qHat: Float64Array.of(1, 2, 0.5, 1, 1, 1.5, 2, 3),
  };
}

/** A fixed bandit problem: per-row logging and target distributions and true mean rewards mu (n x K). */
export interface BanditProblem {
  readonly n: number;
  readonly k: number;
  readonly logging: Float64Array;
  readonly target: Float64Array;
  readonly mu: Float64Array;
  /** The target's true value mean_i sum_a pi_e(a|x_i) mu(x_i, a). */
  readonly truth: number;
}

export function randomProblem(n: number, k: number, seed: number): BanditProblem {
  const rng = createRng(seed);
  const logging = new Float64Array(n * k);
  const target = new Float64Array(n * k);
  const mu = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let t = 0;
    for (let a = 0; a < k; a++) {
      const e = 0.05 + rng.exponential();
      logging[i * k + a] = e;
      s += e;
      const f = rng.exponential();
      target[i * k + a] = f;
      t += f;
      mu[i * k + a] = rng.normal(1, 1);
    }
    for (let a = 0; a < k; a++) {
      logging[i * k + a]! /= s;
      target[i * k + a]! /= t;
    }
  }
  let truth = 0;
  for (let j = 0; j < n * k; j++) truth += target[j]! * mu[j]!;
  return { n, k, logging, target, mu, truth: truth / n };
}

/** Draw one log of a problem: actions from the logging policy, rewards mu + N(0, noise^2). */
export function drawLog(problem: BanditProblem, seed: number, noise = 0.5): EstimatorInputs {
  const { n, k, logging, mu, target } = problem;
  const rng = createRng(seed);
  const action = new Int32Array(n);
  const propensity = new Float64Array(n);
  const reward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.categorical(logging.subarray(i * k, i * k + k));
    action[i] = a;
    propensity[i] = logging[i * k + a]!;
    reward[i] = mu[i * k + a]! + rng.normal(0, noise);
  }
  return { k, action, propensity, reward, target };
}

/** A reward model: the truth plus uniform noise of half-width `sd` (a "reasonable" model). */
export function noisyModel(mu: Float64Array, width: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(mu.length);
  for (let j = 0; j < mu.length; j++) out[j] = mu[j]! + rng.uniform(-width, width);
  return out;
}

/** Problem and one log in one call, with the logging distribution and mu for convenience. */
export function randomBandit(
  n: number,
  k: number,
  seed: number,
): EstimatorInputs & { logging: Float64Array; mu: Float64Array } {
  const p = randomProblem(n, k, seed);
  return { ...drawLog(p, seed + 0.5), logging: p.logging, mu: p.mu };
}
