import { createRng } from "@cia/core";
import { type Candidates, createCandidates } from "../src/index.js";

/**
 * Synthetic scores for n units x K actions in typed arrays (no per-row objects): action a costs
 * about a * base, value grows with diminishing returns, unit-level heterogeneity is log-normal,
 * 3% of pairs ineligible, 5% with tau_value <= 0, 2% cost-saving.
 */
export function syntheticCandidates(n: number, k: number, seed: number): Candidates {
  const rng = createRng(seed);
  const rows = n * k;
  const unit = new Int32Array(rows);
  const action = new Int32Array(rows);
  const value = new Float64Array(rows);
  const cost = new Float64Array(rows);
  const eligible = new Uint8Array(rows);
  const channel = new Int32Array(rows);
  let r = 0;
  for (let u = 0; u < n; u++) {
    const scale = Math.exp(rng.normal(0, 0.8));
    const sens = 0.5 + rng.next();
    for (let a = 1; a <= k; a++) {
      unit[r] = u;
      action[r] = a;
      const x = rng.next();
      cost[r] = x < 0.02 ? -0.5 * rng.next() : a * (0.8 + 0.4 * rng.next());
      value[r] = x > 0.95 ? -rng.next() : scale * sens * Math.sqrt(a) * (0.6 + 0.8 * rng.next());
      eligible[r] = rng.next() < 0.03 ? 0 : 1;
      channel[r] = a % 2;
      r++;
    }
  }
  return createCandidates({ nUnits: n, unit, action, tauValue: value, tauCost: cost, eligible, channel });
}
