/**
 * The benchmark's model: 100-tree boosted value and cost heads (T-learner: one 100-tree model per
 * arm and head, control + 4 offers, so 1,000 trees per decision) on the default simulated world,
 * deployed with epsilon-greedy exploration. Built in-process (about 10 s), in a temp directory.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HistGradientBoosting, LogisticRegression } from "@cia/learners";
import { type ExperimentTable, readExperimentTable, writeTable } from "@cia/logging-schema";
import { modelInputs, sealCiaModelFile, trainCiaModel } from "@cia/model";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";
import { fitUplift } from "@cia/uplift";
import { deployPolicy } from "../src/deploy-policy.js";
import type { DeployedPolicy } from "../src/deploy-policy.js";

export interface BenchPolicy {
  dir: string;
  bundleDir: string;
  units: ExperimentTable;
  deployed: DeployedPolicy;
  trees: number;
}

export async function buildBenchPolicy(units: number, seed = 1): Promise<BenchPolicy> {
  const world = createWorld("default");
  const pop = world.sampleUnits(units, { seed });
  const log = world.log(pop, uniformDesign(world.actions.length), { seed: seed + 1 });
  const dir = mkdtempSync(join(tmpdir(), "cia-serve-bench-"));
  const file = join(dir, "units.csv");
  await writeTable(file, experimentTableRows(pop, log), { columns: experimentTableColumns(pop) });
  const train = await readExperimentTable(file, { require: ["action", "propensity", "value", "cost"] });
  // The contract, action order and file layout of `cia train`; then 100-tree heads in place of
  // the default ones (80 / 100 trees), sealed again so the loader's checksum holds.
  const base = trainCiaModel(train, {
    learner: "t",
    base: "ridge",
    bootstraps: 0,
    propensity: "column",
    control: "control",
    cost: true,
    seed: String(seed),
  });
  const table = await readExperimentTable(file, {
    require: ["action", "propensity", "value", "cost"],
    knownActions: base.file.actions,
  });
  const { matrix } = modelInputs(base, table, { mode: "refuse" });
  const head = () => ({
    learner: () => new HistGradientBoosting({ maxIter: 100, learningRate: 0.1, maxLeafNodes: 15, seed }),
  });
  const uplift = fitUplift(
    {
      features: matrix,
      action: table.action!,
      value: table.value!,
      cost: table.cost!,
      nActions: base.file.actions.length,
    },
    {
      learner: "t",
      value: head(),
      cost: head(),
      propensity: {
        source: "estimate",
        classifier: () => new LogisticRegression({ C: 1, standardize: true }),
      },
      actionNames: base.file.actions,
      featureNames: base.file.contract.features.map((f) => f.name),
      seed,
    },
  );
  const modelFile = sealCiaModelFile({
    ...base.file,
    settings: { ...base.file.settings, base: "gbdt" },
    uplift: uplift.toJSON(),
  });
  const modelPath = join(dir, "model.json");
  writeFileSync(modelPath, JSON.stringify(modelFile));
  const names = base.file.contract.features.map((f) => f.name);
  const scoring = await readExperimentTable(file, { features: names });
  const deployed = await deployPolicy({
    modelPath,
    table: scoring,
    budget: 1.5 * units,
    out: join(dir, "bundle"),
    policyId: "bench",
    epsilon: 0.05,
    dailyBudget: null,
  });
  return {
    dir,
    bundleDir: join(dir, "bundle"),
    units: scoring,
    deployed,
    trees: 2 * base.file.actions.length * 100,
  };
}
