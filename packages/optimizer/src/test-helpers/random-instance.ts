import { createRng } from "@cia/core";
import { type Candidates, createCandidates } from "../candidates.js";

/** Options of {@link randomInstance}. */
export interface RandomInstanceOptions {
  units: number;
  actions: number;
  seed: number;
  /** share of rows with negative cost (cost-saving actions) */
  negativeCostShare?: number;
  /** share of rows with tau_value <= 0 */
  nonPositiveShare?: number;
  /** share of ineligible rows */
  ineligibleShare?: number;
  channels?: number;
  /** round values and costs to integers (creates ties) */
  integer?: boolean;
}

/**
 * A random allocation instance: per unit, actions with increasing cost and diminishing value,
 * noise, some free/cost-saving and some useless options.
 */
export function randomInstance(o: RandomInstanceOptions): Candidates {
  const rng = createRng(o.seed);
  const unit: number[] = [];
  const action: number[] = [];
  const value: number[] = [];
  const cost: number[] = [];
  const eligible: number[] = [];
  const channel: number[] = [];
  for (let u = 0; u < o.units; u++) {
    const scale = rng.exponential(1) * 10;
    for (let a = 1; a <= o.actions; a++) {
      unit.push(u);
      action.push(a);
      let c = a * (0.5 + rng.next()) * 3;
      let v = scale * Math.sqrt(a) * (0.3 + rng.next());
      if (rng.next() < (o.negativeCostShare ?? 0)) c = -rng.next() * 3;
      if (rng.next() < (o.nonPositiveShare ?? 0.05)) v = -rng.next() * 2;
      if (o.integer) {
        c = Math.round(c);
        v = Math.round(v);
      }
      value.push(v);
      cost.push(c);
      eligible.push(rng.next() < (o.ineligibleShare ?? 0) ? 0 : 1);
      channel.push(o.channels ? rng.int(o.channels) : 0);
    }
  }
  return createCandidates({
    nUnits: o.units,
    unit,
    action,
    tauValue: value,
    tauCost: cost,
    eligible,
    channel: o.channels ? channel : undefined,
  });
}
