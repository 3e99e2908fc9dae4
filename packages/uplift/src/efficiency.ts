/**
 * Value per incremental cost, CPIV = tau_value / tau_cost (higher is better), with the behaviour
 * near zero cost defined so that rankings stay total: when |tau_cost| <= eps (or the offer saves
 * cost), value gained is +Infinity, value lost is -Infinity and no value either way is 0.
 *
 * @example
 * cpiv(2, 4); // 0.5
 * cpiv(1, 0); // Infinity (value at no incremental cost)
 */
export function cpiv(tauValue: number, tauCost: number, eps = 1e-9): number {
  if (tauCost > eps) return tauValue / tauCost;
  if (tauValue > eps) return Number.POSITIVE_INFINITY;
  if (tauValue < -eps) return Number.NEGATIVE_INFINITY;
  return 0;
}

/**
 * Cost per incremental value, CPI = tau_cost / tau_value (lower is better). When tau_value <= eps
 * the offer buys no value and CPI is +Infinity (never preferred); a saving with value gained gives
 * a negative CPI.
 *
 * @example
 * cpi(2, 4); // 2
 * cpi(0, 4); // Infinity
 */
export function cpi(tauValue: number, tauCost: number, eps = 1e-9): number {
  if (tauValue > eps) return tauCost / tauValue;
  return Number.POSITIVE_INFINITY;
}
