import { createRng } from "@cia/core";
import { bootstrapMeanInterval, doublyRobust, evaluatePolicy, policyFromActions } from "@cia/ope";

const n = 5000;
const k = 3;
const rng = createRng(1);
const action = new Int32Array(n);
const propensity = new Float64Array(n);
const value = new Float64Array(n);
const cost = new Float64Array(n);
const qValue = new Float64Array(n * k);
const qCost = new Float64Array(n * k);
const candidate = new Int32Array(n);
const heuristic = new Int32Array(n);
for (let i = 0; i < n; i++) {
  const x = rng.uniform(); // one feature
  action[i] = rng.int(k); // uniform logging: propensity 1/3
  propensity[i] = 1 / k;
  const lift = [0, 2 * x, 3 * x - 0.5][action[i]!]!;
  value[i] = 10 + lift + rng.normal(0, 2);
  cost[i] = [0, 1, 2][action[i]!]! * rng.bernoulli(0.6);
  for (let a = 0; a < k; a++) {
    qValue[i * k + a] = 10 + [0, 2 * x, 3 * x - 0.5][a]! + rng.normal(0, 0.3);
    qCost[i * k + a] = [0, 0.6, 1.2][a]!;
  }
  candidate[i] = x > 0.5 ? 2 : x > 0.2 ? 1 : 0;
  heuristic[i] = x > 0.3 ? 1 : 0;
}

// One estimator, with its per-round contributions and a bootstrap interval.
const target = policyFromActions(candidate, k);
const dr = doublyRobust({ k, action, propensity, reward: value, target, qHat: qValue });
const ci = bootstrapMeanInterval(dr.rounds, { resamples: 1000, seed: 7 });
console.log(dr.estimate, ci.lower, ci.upper);

// Everything at once: both heads, increments and CPIV, the paired comparison with the heuristic.
const result = evaluatePolicy(
  { k, action, propensity, value, cost, actionNames: ["control", "offer_1", "offer_2"] },
  {
    target,
    baseline: policyFromActions(heuristic, k),
    qHat: { value: qValue, cost: qCost },
    interval: { method: "bootstrap", resamples: 1000, seed: 7 },
  },
);
const est = result.estimates.dr!;
console.log(est.value, est.cost); // per unit: { estimate, lower, upper, se }
console.log(est.incremental?.cpiv); // incremental value per incremental cost vs no offer
console.log(est.versusBaseline?.value); // candidate minus heuristic, paired interval
console.log(result.diagnostics.target.effectiveSampleSize, result.diagnostics.target.maxWeight);
