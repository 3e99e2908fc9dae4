/**
 * Diagnostic behind docs/production-loop.md, "How much the pilot's size and design buy": the
 * loop's model fitted on pilots of several sizes and two designs (the loop's warm-start and a
 * uniform experiment), 10k fresh period-0 units allocated at the heuristic's true spend without
 * exploration; prints the true value over the LP oracle at the policy's own true spend, and the
 * pilot's own true spend per unit (what the experiment costs).
 *
 * Not a benchmark (no timing); about 2 minutes for the default grid.
 *
 * @example
 * // cd apps/runner && LOOP_SEEDS=1,2,3 PILOT_SIZES=20000,80000 PILOT_DESIGNS=uniform node --import tsx --conditions=@cia/source bench/loop-pilot-size.ts
 */
import { allocateFromMatrix } from "@cia/optimizer";
import { createWorld } from "@cia/simulator";
import { explorationProbabilities } from "../src/commands/exploration-design.js";
import { fitPilotModel, oracleShare, periodZeroTest } from "./pilot-model.js";

const worlds = (process.env.LOOP_WORLDS ?? "drift,default").split(",");
const seeds = (process.env.LOOP_SEEDS ?? "1,2,3").split(",");
const sizes = (process.env.PILOT_SIZES ?? "20000,40000,80000").split(",").map(Number);
const designs = (process.env.PILOT_DESIGNS ?? "warm-start,uniform").split(",") as (
  | "warm-start"
  | "uniform"
)[];

for (const w of worlds) {
  const world = createWorld(w);
  const k = world.actions.length;
  for (const design of designs) {
    const shares = sizes.map(() => [] as number[]);
    for (const seed of seeds) {
      // The loop's test units and plan (run-loop.ts): period-0 units, the heuristic's true spend.
      const { test, truth, units, budget } = periodZeroTest(world, seed);
      const cells: string[] = [];
      sizes.forEach((n, j) => {
        const pilot = world.sampleUnits(n, { seed: `${seed}/pilot`, period: 0 });
        const probs = explorationProbabilities(world, pilot, design);
        const log = world.log(pilot, probs, { seed: `${seed}/pilot/log` });
        const pilotTruth = world.truth(pilot);
        let pilotSpend = 0;
        for (let i = 0; i < n; i++) pilotSpend += pilotTruth.tauCost[i * k + log.action[i]!]!;
        const m = fitPilotModel(world, pilot, log, seed);
        const s = m.score(units);
        const a = allocateFromMatrix(
          { nUnits: test.n, nActions: k, tauValue: s.tauValue, tauCost: s.tauCost },
          { budget },
        ).action;
        const { share } = oracleShare(truth, test.n, k, a);
        shares[j]!.push(share);
        cells.push(`${n}: ${share.toFixed(3)} (pilot spend/unit ${(pilotSpend / n).toFixed(2)})`);
      });
      console.log(`${w} ${design} seed ${seed}: ${cells.join(" | ")}`);
    }
    const means = sizes.map(
      (n, j) => `${n}: ${(shares[j]!.reduce((x, y) => x + y, 0) / seeds.length).toFixed(3)}`,
    );
    console.log(`${w} ${design} mean over seeds: ${means.join(" | ")}`);
  }
}
