import { CiaError } from "@cia/core";
import type { Population } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/**
 * The lifecycle baseline of heuristic campaigns: every unit inactive for at least `minDaysInactive`
 * days gets the fixed `action`, everyone else control. Returns an action index per unit.
 *
 * @example
 * const rule = inactivityHeuristic(pop, { minDaysInactive: 30, action: 3 }); // offer_10 in `default`
 * world.policyValue(pop, deterministicPolicy(rule, world.actions.length));
 */
export function inactivityHeuristic(
  population: Population,
  options: { minDaysInactive: number; action: number },
): Int32Array {
  const { minDaysInactive, action } = options;
  if (!Number.isInteger(action) || action < 0)
    throw new CiaError<SimulatorErrorCode>("invalid_action", `action must be an action index, got ${action}`);
  const out = new Int32Array(population.n);
  const d = population.daysInactive;
  for (let i = 0; i < population.n; i++) out[i] = d[i]! >= minDaysInactive ? action : 0;
  return out;
}
