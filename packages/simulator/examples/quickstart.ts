import {
  createWorld,
  deterministicPolicy,
  experimentTableRows,
  inactivityHeuristic,
  logRecords,
  truthRows,
  uniformDesign,
} from "@cia/simulator";

const world = createWorld("default");
const K = world.actions.length; // control, offer_3, offer_5, offer_10, offer_15

// 1. Units and their exact truth (intention-to-treat effects of assigning each action).
const pop = world.sampleUnits(20_000, { seed: 1 });
const truth = world.truth(pop);

// 2. A randomized experiment with true propensities, as the experiment table and as log records.
const log = world.log(pop, uniformDesign(K), { seed: 2 });
const table = Array.from(experimentTableRows(pop, log)); // unit_id, action, propensity, value, cost, features...
const records = logRecords(world, pop, log); // decisions, realizedTreatments, outcomes, concurrentAssignments
const truthTable = Array.from(truthRows(world.actions, pop, truth)); // unit_id, action, tau_value, tau_cost

// 3. Exact policy values: the heuristic baseline versus the oracle at the heuristic's spend.
const rule = inactivityHeuristic(pop, { minDaysInactive: 30, action: 3 }); // offer_10 after 30 days
const heuristic = world.policyValue(pop, deterministicPolicy(rule, K));
const budget = heuristic.incrementalCost * pop.n; // budgets are totals of incremental cost
const oracle = world.oracle(pop, budget);

console.log({
  rows: table.length,
  decisions: Array.from(records.decisions).length,
  truthRows: truthTable.length,
  heuristic: { value: Math.round(heuristic.incrementalValue * pop.n), cost: Math.round(budget) },
  oracle: { value: Math.round(oracle.value), cost: Math.round(oracle.cost) },
});
