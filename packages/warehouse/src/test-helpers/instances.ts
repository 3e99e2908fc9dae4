import { createRng } from "@cia/core";
import { type AllocationResult, type Candidates, createCandidates } from "@cia/optimizer";

/** A random allocation instance (diminishing returns, cost-saving, useless and ineligible options, ties). */
export function randomCandidates(o: {
  units: number;
  actions: number;
  seed: number;
  negativeCostShare?: number;
  ineligibleShare?: number;
  integer?: boolean;
  withLower?: boolean;
  /** channel codes 0..channels-1 per row (a hash of unit and action; no draw from the rng) */
  channels?: number;
}): Candidates {
  const rng = createRng(o.seed);
  const unit: number[] = [];
  const action: number[] = [];
  const value: number[] = [];
  const cost: number[] = [];
  const eligible: number[] = [];
  const lower: number[] = [];
  const channel: number[] = [];
  for (let u = 0; u < o.units; u++) {
    const scale = rng.exponential(1) * 10;
    for (let a = 1; a <= o.actions; a++) {
      if (rng.next() < 0.1) continue; // units with fewer options
      unit.push(u);
      action.push(a);
      channel.push(((u * 7 + a * 3 + ((u * a) >> 2)) >>> 0) % (o.channels ?? 1));
      let c = a * (0.5 + rng.next()) * 3;
      let v = scale * Math.sqrt(a) * (0.3 + rng.next());
      if (rng.next() < (o.negativeCostShare ?? 0)) c = -rng.next() * 3;
      if (rng.next() < 0.05) v = -rng.next() * 2;
      if (o.integer) {
        c = Math.round(c);
        v = Math.round(v);
      }
      value.push(v);
      cost.push(c);
      eligible.push(rng.next() < (o.ineligibleShare ?? 0) ? 0 : 1);
      lower.push(v - rng.next() * 2);
    }
  }
  return createCandidates({
    nUnits: o.units,
    unit,
    action,
    tauValue: value,
    tauCost: cost,
    eligible,
    tauValueLower: o.withLower ? lower : undefined,
    channel: o.channels ? channel : undefined,
  });
}

/** The largest absolute difference of the numeric totals (value, spend, bound...) of two allocations. */
export function totalsDiff(a: AllocationResult, b: AllocationResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of ["value", "spend", "objective", "upper_bound", "gap", "lambda", "treated"] as const) {
    out[k] = Math.abs(a.totals[k] - b.totals[k]);
  }
  out.dual_lower_bound =
    Number.isNaN(a.certificate.dual_lower_bound) && Number.isNaN(b.certificate.dual_lower_bound)
      ? 0
      : Math.abs(a.certificate.dual_lower_bound - b.certificate.dual_lower_bound);
  return out;
}

/** Assert-friendly comparison of two allocations: every total within tol (relative to scale), the same prune counts and actions. */
export function compareAllocations(inProcess: AllocationResult, warehouse: AllocationResult, tol = 1e-9) {
  const diff = totalsDiff(inProcess, warehouse);
  const scale = Math.max(1, Math.abs(inProcess.totals.upper_bound));
  let actionsDiffer = 0;
  for (let u = 0; u < inProcess.action.length; u++)
    if (inProcess.action[u] !== warehouse.action[u]) actionsDiffer++;
  let candidatesDiffer = 0;
  for (let u = 0; u < inProcess.candidate.length; u++)
    if (inProcess.candidate[u] !== warehouse.candidate[u]) candidatesDiffer++;
  const worst = Math.max(...Object.values(diff)) / scale;
  return { diff, worst, ok: worst <= tol, actionsDiffer, candidatesDiffer };
}
