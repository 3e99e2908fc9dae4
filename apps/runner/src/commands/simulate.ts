import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  writeConcurrentAssignments,
  writeDecisions,
  writeOutcomeEvents,
  writeRealizedTreatments,
} from "@cia/logging-schema";
import { createWorld, logRecords, worldNames } from "@cia/simulator";
import { writeEffectTable, writeExperimentColumns } from "@cia/table-io";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { usageError } from "../io/usage-error.js";
import { explorationProbabilities } from "./exploration-design.js";

export interface SimulateOptions {
  world: string;
  units: number;
  seed: string;
  design: "uniform" | "warm-start";
  out: string;
  /** Format of table.* and truth.* (default csv); the logs are JSONL either way. */
  format?: "csv" | "parquet";
}

/** Resolve a world name with a usage error listing the known worlds. */
export function worldByName(name: string) {
  if (!(worldNames as readonly string[]).includes(name))
    throw usageError(`unknown world '${name}' (known: ${worldNames.join(", ")})`);
  return createWorld(name);
}

/**
 * `cia simulate`: a randomized experiment in a named world, written as the counterfactual log
 * (decisions, realized treatments, outcome events, concurrent assignments), the experiment table
 * and the true effects.
 *
 * @example
 * await simulateCommand({ world: "default", units: 20000, seed: "1", design: "warm-start", out: "out/sim" });
 */
export async function simulateCommand(opts: SimulateOptions): Promise<void> {
  const world = worldByName(opts.world);
  guardPaths({ outputs: {}, dirs: { "--out": opts.out } });
  const pop = world.sampleUnits(opts.units, { seed: `${opts.seed}/units` });
  const probs = explorationProbabilities(world, pop, opts.design);
  const log = world.log(pop, probs, { seed: `${opts.seed}/log` });
  const rec = logRecords(world, pop, log, {
    design: opts.design === "uniform" ? "uniform" : "warm_start",
    policyId: `explore-${opts.design}`,
  });
  const files = {
    decisions: join(opts.out, "decisions.jsonl"),
    treatments: join(opts.out, "treatments.jsonl"),
    outcomes: join(opts.out, "outcomes.jsonl"),
    concurrent: join(opts.out, "concurrent.jsonl"),
    table: join(opts.out, `table.${opts.format ?? "csv"}`),
    truth: join(opts.out, `truth.${opts.format ?? "csv"}`),
  };
  mkdirSync(opts.out, { recursive: true });
  const d = await writeDecisions(files.decisions, rec.decisions);
  await writeRealizedTreatments(files.treatments, rec.realizedTreatments);
  const o = await writeOutcomeEvents(files.outcomes, rec.outcomes);
  await writeConcurrentAssignments(files.concurrent, rec.concurrentAssignments);
  // Column by column (no object per row): the same CSV bytes as writing the rows, or Parquet.
  const p = pop.features.cols;
  await writeExperimentColumns(files.table, {
    n: pop.n,
    unitIds: pop.unitIds,
    actionNames: log.actions.map((a) => a.name),
    action: log.action,
    propensity: log.propensity,
    value: log.value,
    cost: log.cost,
    features: pop.featureNames.map((name, j) => ({
      name,
      values: pop.features.data,
      stride: p,
      offset: j,
      levels: pop.categorical[name],
    })),
  });
  const truth = world.truth(pop);
  await writeEffectTable(files.truth, {
    unitIds: pop.unitIds,
    actions: world.actions.map((a) => a.name),
    columns: [
      { name: "tau_value", values: truth.tauValue },
      { name: "tau_cost", values: truth.tauCost },
    ],
  });
  printSummary({
    world: world.name,
    units: pop.n,
    actions: world.actions.map((a) => a.name),
    decisions: d.rows,
    outcome_events: o.rows,
    horizon_days: log.horizonDays,
    files,
  });
}
