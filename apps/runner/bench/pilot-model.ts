// Shared by the loop diagnostics (loop-pilot-draw.ts, loop-pilot-size.ts): the loop's model fitted
// on a logged pilot exactly as run-loop.ts fits it, and a policy's true value over the LP oracle's.
import { inactivityHeuristic, oracleAllocation } from "@cia/simulator";
import type { Population, SimulatedLog, Truth, World } from "@cia/simulator";
import type { ExperimentTable } from "@cia/logging-schema";
import { catalogueAttributes } from "@cia/uplift";
import { type LoopModel, trainLoopModel } from "../src/loop/loop-model.js";
import { populationTable } from "../src/loop/population-table.js";
import { trueIncrement } from "../src/run/policies.js";

/**
 * The loop's model (m0) fitted on a pilot's units and its log.
 *
 * @example
 * const m = fitPilotModel(world, pilot, world.log(pilot, probs, { seed: "1/pilot/log" }), "1");
 */
export function fitPilotModel(world: World, pilot: Population, log: SimulatedLog, seed: string): LoopModel {
  const names = world.actions.map((a) => a.name);
  const table = {
    ...populationTable(pilot),
    action: log.action,
    actionNames: names,
    propensity: log.propensity,
    value: log.value,
    cost: log.cost,
  };
  return trainLoopModel(table, log.actionProbabilities, {
    actions: names,
    attributes: catalogueAttributes(world.actions),
    version: "m0",
    seed: `${seed}/m0`,
  });
}

/**
 * True value and true spend of one action per unit, and the value over the LP oracle's at that
 * same true spend.
 *
 * @example
 * const { share, spend } = oracleShare(truth, test.n, k, action);
 */
export function oracleShare(
  truth: Truth,
  n: number,
  k: number,
  action: Int32Array,
): { share: number; value: number; spend: number } {
  const { value, cost: spend } = trueIncrement(action, truth.tauValue, truth.tauCost, k);
  return { share: value / oracleAllocation(truth.tauValue, truth.tauCost, n, k, spend).value, value, spend };
}

/**
 * The loop's period-0 test (run-loop.ts): 10k fresh period-0 units, their truth, their scoring
 * table, and the plan's budget (the inactivity heuristic's true spend on them).
 *
 * @example
 * const { test, truth, units, budget } = periodZeroTest(world, "1");
 */
export function periodZeroTest(
  world: World,
  seed: string,
): { test: Population; truth: Truth; units: ExperimentTable; budget: number } {
  const k = world.actions.length;
  const test = world.sampleUnits(10_000, { seed: `${seed}/loop/0`, period: 0 });
  const truth = world.truth(test);
  const heuristic = inactivityHeuristic(test, { minDaysInactive: 30, action: Math.min(3, k - 1) });
  let budget = 0;
  for (let i = 0; i < test.n; i++) budget += truth.tauCost[i * k + heuristic[i]!]!;
  return { test, truth, units: populationTable(test), budget };
}
