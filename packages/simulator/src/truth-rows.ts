import { CiaError } from "@cia/core";
import type { ActionSpec, Population, Truth } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/** One `truth.csv` row: the true effects of one non-control action for one unit. */
export interface TruthRow {
  unit_id: string;
  action: string;
  tau_value: number;
  tau_cost: number;
  /** Only with `{ short: true }`: the effect on the short-horizon value proxy. */
  tau_value_short?: number;
}

/**
 * Rows of `truth.csv` (unit_id, action, tau_value, tau_cost), one per unit and non-control action,
 * in unit order then action order. Intention-to-treat effects of assigning the action.
 *
 * @example
 * const rows = Array.from(truthRows(world.actions, pop, world.truth(pop)));
 * rows[0]; // { unit_id: "u000001", action: "offer_3", tau_value: 0.41, tau_cost: 0.62 }
 */
export function* truthRows(
  actions: readonly ActionSpec[],
  population: Population,
  truth: Truth,
  options: { short?: boolean } = {},
): Generator<TruthRow> {
  const { n, k } = truth;
  if (n !== population.n || k !== actions.length) {
    throw new CiaError<SimulatorErrorCode>(
      "shape_mismatch",
      `truth is ${n} x ${k}; population has ${population.n} units, ${actions.length} actions`,
    );
  }
  for (let i = 0; i < n; i++) {
    const id = population.unitIds[i]!;
    for (let a = 1; a < k; a++) {
      const j = i * k + a;
      const row: TruthRow = {
        unit_id: id,
        action: actions[a]!.name,
        tau_value: truth.tauValue[j]!,
        tau_cost: truth.tauCost[j]!,
      };
      if (options.short) row.tau_value_short = truth.tauValueShort[j]!;
      yield row;
    }
  }
}
