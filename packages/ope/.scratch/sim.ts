import { createWorld, uniformDesign, inactivityHeuristic, deterministicPolicy } from "@cia/simulator";
const world = createWorld("default");
console.log(world.actions);
const pop = world.sampleUnits(2000, { seed: 1 });
const k = world.actions.length;
let t = performance.now();
const truth = world.truth(pop);
console.log("truth", performance.now() - t);
t = performance.now();
for (let r = 0; r < 20; r++) world.log(pop, uniformDesign(k), { seed: r });
console.log("log x20", performance.now() - t);
const log = world.log(pop, uniformDesign(k), { seed: 1 });
let s = 0,
  z = 0;
for (let i = 0; i < pop.n; i++) {
  s += log.value[i]!;
  if (log.value[i] === 0) z++;
}
console.log(
  "mean value",
  s / pop.n,
  "zeros",
  z / pop.n,
  "mean cost",
  log.cost.reduce((a, b) => a + b, 0) / pop.n,
);
const rule = inactivityHeuristic(pop, { minDaysInactive: 30, action: 3 });
console.log(world.policyValue(pop, deterministicPolicy(rule, k)));
console.log(world.policyValue(pop, deterministicPolicy(new Int32Array(pop.n), k)));
