import { type DenseMatrix, createRng, denseMatrix } from "@cia/core";

/** A well-specified linear multi-action world with uniform random assignment, for tests. */
export interface LinearWorld {
  x: DenseMatrix;
  action: Int32Array;
  value: Float64Array;
  cost: Float64Array;
  propensity: Float64Array;
  tauValue: Float64Array;
  tauCost: Float64Array;
  segment: Int32Array;
}

/**
 * tau_value(x, a) = a (0.5 + x0) and tau_cost(x, a) = a (1 + 0.3 x1), baseline 1 + x0 + 0.5 x2,
 * Gaussian noise (sd 1 for value, 0.3 for cost); features N(0, 1); actions uniform (or `probs`).
 */
export function linearWorld(n: number, k: number, seed: number, probs?: number[]): LinearWorld {
  const rng = createRng(seed);
  const p = 3;
  const x = denseMatrix(n, p);
  for (let j = 0; j < n * p; j++) x.data[j] = rng.normal();
  const pr = probs ?? new Array<number>(k).fill(1 / k);
  const action = new Int32Array(n);
  const value = new Float64Array(n);
  const cost = new Float64Array(n);
  const propensity = new Float64Array(n * k);
  const tauValue = new Float64Array(n * k);
  const tauCost = new Float64Array(n * k);
  const segment = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = x.data[i * p]!;
    const x1 = x.data[i * p + 1]!;
    const x2 = x.data[i * p + 2]!;
    for (let a = 0; a < k; a++) {
      propensity[i * k + a] = pr[a]!;
      tauValue[i * k + a] = a * (0.5 + x0);
      tauCost[i * k + a] = a * (1 + 0.3 * x1);
    }
    const a = rng.categorical(pr);
    action[i] = a;
    value[i] = 1 + x0 + 0.5 * x2 + tauValue[i * k + a]! + rng.normal(0, 1);
    cost[i] = tauCost[i * k + a]! + rng.normal(0, 0.3);
    segment[i] = x2 > 0.8 ? 1 : 0;
  }
  return { x, action, value, cost, propensity, tauValue, tauCost, segment };
}
