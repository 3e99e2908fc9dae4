import { warmStartDesign } from "@cia/experiment";
import type { Population, World } from "@cia/simulator";

/**
 * The action distribution of the run's randomized experiment, n x K.
 *
 * `warm-start` tilts exploration by a deliberately simple prior that a growth team would have
 * before any model (lessons 10 and 15): lapsed units (dormant, or inactive for a long time) lean
 * toward offers, deeper ones a little more; active units lean toward no offer. Every action keeps
 * at least `floor / K` probability, so importance weights stay below K / floor. The prior reads
 * only features, never the simulator's truth.
 *
 * @example
 * const probs = explorationProbabilities(world, pop, "warm-start");
 * const log = world.log(pop, probs, { seed: 1 });
 */
export function explorationProbabilities(
  world: World,
  pop: Population,
  design: "uniform" | "warm-start",
  floor = 0.5,
): Float64Array {
  const k = world.actions.length;
  const n = pop.n;
  if (design === "uniform") return new Float64Array(n * k).fill(1 / k);
  const maxCredit = Math.max(...world.actions.map((a) => a.credit), 1);
  const score = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const lapsed =
      pop.lifecycle[i] === 2 || pop.daysInactive[i]! >= 30 ? 1 : pop.lifecycle[i] === 0 ? 0.3 : -0.6;
    for (let a = 1; a < k; a++) {
      const depth = world.actions[a]!.credit / maxCredit;
      score[i * k + a] = lapsed * (0.6 + 0.6 * depth);
    }
  }
  const d = warmStartDesign({
    actions: world.actions.map((a) => a.name),
    temperature: 1,
    epsilon: floor / k,
  });
  return d.probabilities({ n, score });
}
