/**
 * Diagnostic behind docs/production-loop.md, "Where the value gap comes from": how much of the
 * loop's first-period value is set by the pilot's draw of outcome noise, and what exploration
 * costs on top. Per world and seed: a 20k warm-start pilot (the loop's design) logged with the
 * loop's noise seed and with another one, the loop's model fitted on it, 10k fresh period-0 units
 * allocated at the heuristic's true spend; prints the true value over the LP oracle at the
 * policy's own true spend, with and without the default exploration.
 *
 * Not a benchmark (no timing); about 1 minute for the default grid.
 *
 * @example
 * // cd apps/runner && LOOP_WORLDS=drift LOOP_SEEDS=1 node --import tsx --conditions=@cia/source bench/loop-pilot-draw.ts
 */
import { allocateFromMatrix } from "@cia/optimizer";
import { createWorld } from "@cia/simulator";
import type { Truth } from "@cia/simulator";
import { explorationProbabilities } from "../src/commands/exploration-design.js";
import {
  DEFAULT_CONTROL_FLOOR,
  DEFAULT_EXPLORE,
  deployWithExploration,
} from "../src/loop/deploy-with-exploration.js";
import { fitPilotModel, oracleShare, periodZeroTest } from "./pilot-model.js";

const worlds = (process.env.LOOP_WORLDS ?? "default,drift").split(",");
const seeds = (process.env.LOOP_SEEDS ?? "1,2,3,4,5,6").split(",");

/** True value over the oracle's at the same true spend, and the spend over the budget. */
function share(truth: Truth, n: number, k: number, action: Int32Array, budget: number): string {
  const r = oracleShare(truth, n, k, action);
  return `${r.share.toFixed(3)} (spend ${(r.spend / budget).toFixed(2)})`;
}

for (const w of worlds) {
  for (const seed of seeds) {
    const world = createWorld(w);
    const k = world.actions.length;
    // The loop's pilot units and design (run-loop.ts), and fresh units for period 0.
    const pilot = world.sampleUnits(20_000, { seed: `${seed}/pilot`, period: 0 });
    const probs = explorationProbabilities(world, pilot, "warm-start");
    const { test, truth, units, budget } = periodZeroTest(world, seed);
    const out: string[] = [];
    for (const [label, logSeed] of [
      ["loop's draw", `${seed}/pilot/log`],
      ["other draw", `${seed}/log`],
    ] as const) {
      const log = world.log(pilot, probs, { seed: logSeed });
      const m = fitPilotModel(world, pilot, log, seed);
      const s = m.score(units);
      const plain = allocateFromMatrix(
        { nUnits: test.n, nActions: k, tauValue: s.tauValue, tauCost: s.tauCost },
        { budget },
      ).action;
      const d = deployWithExploration({
        unitIds: test.unitIds,
        k,
        tauValue: s.tauValue,
        tauCost: s.tauCost,
        budget,
        settings: {
          epsilon: DEFAULT_EXPLORE,
          floor: DEFAULT_EXPLORE / k,
          controlFloor: DEFAULT_CONTROL_FLOOR,
          salt: `${seed}-loop-0`,
        },
      });
      out.push(
        `${label}: no exploration ${share(truth, test.n, k, plain, budget)}, explored ${share(truth, test.n, k, d.action, budget)}`,
      );
    }
    console.log(`${w} seed ${seed}: ${out.join(" | ")}`);
  }
}
