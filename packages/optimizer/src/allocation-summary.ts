import type { AllocationResult } from "./allocation-result.js";

/** The one-line JSON summary `cia allocate` prints (architecture.md), plus the gap. */
export interface AllocationSummary {
  units: number;
  treated: number;
  /** total spend, sum of tau_cost over the assignment */
  spend: number;
  value: number;
  /** the total budget over all units; null when there is none */
  budget: number | null;
  lambda: number;
  upper_bound: number;
  gap: number;
}

/**
 * The runner's allocate summary `{"units","treated","spend","value","budget","lambda","upper_bound"}`
 * (plus `gap`): JSON-safe (an infinite budget becomes null).
 *
 * @example
 * console.log(JSON.stringify(allocationSummary(allocate(candidates, { budget: 1000 }))));
 */
export function allocationSummary(result: AllocationResult): AllocationSummary {
  const t = result.totals;
  return {
    units: t.units,
    treated: t.treated,
    spend: t.spend,
    value: t.value,
    budget: Number.isFinite(t.budget) ? t.budget : null,
    lambda: t.lambda,
    upper_bound: t.upper_bound,
    gap: t.gap,
  };
}
