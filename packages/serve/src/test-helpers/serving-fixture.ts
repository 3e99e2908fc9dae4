import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExperimentTable, readExperimentTable, writeTable } from "@cia/logging-schema";
import { trainCiaModel } from "@cia/model";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";
import { type DeployPolicyOptions, type DeployedPolicy, deployPolicy } from "../deploy-policy.js";

/** A trained model, the units it is deployed on and the deployed bundle, in a fresh temp dir. */
export interface ServingFixture {
  dir: string;
  modelPath: string;
  unitsFile: string;
  /** The units as batch scoring reads them (the model's features only). */
  units: ExperimentTable;
  bundleDir: string;
  deployed: DeployedPolicy;
}

/**
 * Simulate a small experiment in the default world (control + 4 offers), train a T-learner on it,
 * and deploy it on the same units (budget: `budgetPerUnit` x units).
 */
export async function servingFixture(
  options: {
    units?: number;
    seed?: number;
    base?: "ridge" | "gbdt";
    budgetPerUnit?: number;
    deploy?: Partial<DeployPolicyOptions>;
  } = {},
): Promise<ServingFixture> {
  const n = options.units ?? 1500;
  const seed = options.seed ?? 3;
  const world = createWorld("default");
  const pop = world.sampleUnits(n, { seed });
  const log = world.log(pop, uniformDesign(world.actions.length), { seed: seed + 1 });
  const dir = mkdtempSync(join(tmpdir(), "cia-serve-"));
  const unitsFile = join(dir, "units.csv");
  await writeTable(unitsFile, experimentTableRows(pop, log), { columns: experimentTableColumns(pop) });
  const train = await readExperimentTable(unitsFile, { require: ["action", "propensity", "value", "cost"] });
  const model = trainCiaModel(train, {
    learner: "t",
    base: options.base ?? "ridge",
    bootstraps: 0,
    propensity: "column",
    control: "control",
    cost: true,
    seed: String(seed),
  });
  const modelPath = join(dir, "model.json");
  writeFileSync(modelPath, JSON.stringify(model.file));
  const names = model.file.contract.features.map((f) => f.name);
  const units = await readExperimentTable(unitsFile, { features: names });
  const bundleDir = join(dir, "bundle");
  const deployed = await deployPolicy({
    modelPath,
    table: units,
    budget: (options.budgetPerUnit ?? 1.5) * n,
    out: bundleDir,
    policyId: "winback-test",
    createdAt: "2026-12-06T00:00:00Z",
    ...options.deploy,
  });
  return { dir, modelPath, unitsFile, units, bundleDir, deployed };
}

/** Row `i` of a scoring table as the `features` object of a decide request. */
export function requestFeatures(table: ExperimentTable, i: number): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  for (const name of table.featureNames) f[name] = table.features[name]![i];
  return f;
}
