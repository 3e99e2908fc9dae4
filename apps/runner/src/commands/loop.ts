import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "@cia/logging-schema";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { usageError } from "../io/usage-error.js";
import { buildLoopReport } from "../loop/loop-report.js";
import { runLoop } from "../loop/run-loop.js";
import type { LoopResult } from "../loop/run-loop.js";
import type { LoopScores } from "../loop/loop-model.js";
import { DEFAULT_EXPLORE, defaultControlFloor } from "../loop/deploy-with-exploration.js";
import { worldByName } from "./simulate.js";

export interface LoopCommandOptions {
  world: string;
  periods: number;
  units?: number;
  pilotUnits?: number;
  seed: string;
  out: string;
  explore?: number;
  floor?: number;
  controlFloor?: number;
  refit?: "always" | "drift";
  maxTrainRows?: number;
  scores?: LoopScores;
  quiet?: boolean;
}

/**
 * `cia loop`: the production loop over many periods of a simulated world (deploy with exploration,
 * respond, label when horizons close, re-learn, evaluate, pace); writes loop.json, report.html and
 * each period's decisions and labels under `periods/`.
 *
 * @example
 * await loopCommand({ world: "drift", periods: 8, seed: "1", out: "out/loop" });
 */
export async function loopCommand(opts: LoopCommandOptions): Promise<LoopResult> {
  const world = worldByName(opts.world);
  const explore = opts.explore ?? DEFAULT_EXPLORE;
  const k = world.actions.length;
  // Default floor: what the exploration share gives each action anyway (epsilon / K).
  const floor = opts.floor ?? explore / k;
  if (floor * k > 1) throw usageError(`--floor ${floor} x ${k} actions exceeds 1 (use at most ${1 / k})`);
  guardPaths({ outputs: {}, dirs: { "--out": opts.out } });
  mkdirSync(opts.out, { recursive: true });
  const result = await runLoop({
    world,
    periods: opts.periods,
    unitsPerPeriod: opts.units ?? 10_000,
    pilotUnits: opts.pilotUnits ?? 20_000,
    seed: opts.seed,
    out: opts.out,
    explore,
    floor,
    controlFloor: opts.controlFloor ?? defaultControlFloor(explore, floor),
    refit: opts.refit ?? "drift",
    maxTrainRows: opts.maxTrainRows ?? 60_000,
    scores: opts.scores,
    onPeriod: opts.quiet
      ? undefined
      : (p) =>
          process.stderr.write(
            `period ${p.period}: budget ${p.budget.toFixed(0)} true cost ${p.trueCost.toFixed(0)} value ${p.trueValue.toFixed(0)} ` +
              `(oracle ${p.oracleValue.toFixed(0)}, static ${p.static.trueValue.toFixed(0)}) ${p.retrained ? "re-fit" : ""}\n`,
          ),
  });
  await writeFileAtomic(join(opts.out, "loop.json"), `${JSON.stringify(jsonSafe(result), null, 2)}\n`);
  await writeFileAtomic(join(opts.out, "report.html"), await buildLoopReport(result));
  const t = result.totals;
  printSummary({
    out: opts.out,
    report: join(opts.out, "report.html"),
    world: result.world,
    periods: result.periods.length,
    seconds: result.seconds,
    value_share_of_oracle: t.valueShareOfOracle,
    vs_static: t.vsStatic,
    spend_vs_budget: t.spendVsBudget,
    max_period_overspend: t.maxPeriodOverspend,
    min_propensity: t.minPropensity,
    ope_coverage: t.opeCoverage,
    ...(result.warning ? { warning: result.warning } : {}),
  });
  if (result.warning) process.stderr.write(`warning: ${result.warning}\n`);
  return result;
}

/** JSON without typed arrays or non-finite numbers (null). */
function jsonSafe(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (_k, v) =>
      ArrayBuffer.isView(v)
        ? Array.from(v as unknown as ArrayLike<number>)
        : typeof v === "number" && !Number.isFinite(v)
          ? null
          : v,
    ),
  );
}
