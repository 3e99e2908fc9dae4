import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readExperimentTable, writeTable } from "@cia/logging-schema";
import { trainCiaModel } from "@cia/model";
import { DecisionLog, createPolicyServer, deployPolicy, loadPolicyBundle } from "@cia/serve";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";

// A logged experiment (1,000 units, control + 4 offers) and a model trained on it.
const dir = mkdtempSync(join(tmpdir(), "cia-serve-example-"));
const world = createWorld("default");
const pop = world.sampleUnits(1000, { seed: 1 });
await writeTable(
  join(dir, "units.csv"),
  experimentTableRows(pop, world.log(pop, uniformDesign(5), { seed: 2 })),
  {
    columns: experimentTableColumns(pop),
  },
);
const train = await readExperimentTable(join(dir, "units.csv"), {
  require: ["action", "propensity", "value", "cost"],
});
const model = trainCiaModel(train, {
  learner: "t",
  base: "ridge",
  bootstraps: 0,
  propensity: "column",
  control: "control",
  cost: true,
  seed: "1",
});
writeFileSync(join(dir, "model.json"), JSON.stringify(model.file));

// Batch step: solve lambda for a budget of 1,500 over these units and write the bundle.
const units = await readExperimentTable(join(dir, "units.csv"), {
  features: model.file.contract.features.map((f) => f.name),
});
const { manifest, decisions } = await deployPolicy({
  modelPath: join(dir, "model.json"),
  table: units,
  budget: 1500,
  out: join(dir, "bundle"),
  policyId: "winback",
  epsilon: 0.1,
});
console.log(
  `lambda ${manifest.lambda.toFixed(4)}, batch action of ${units.unitIds[0]}: ${manifest.actions[decisions.action[0]!]}`,
);

// Online: the same unit and features get the same action from the server.
const log = await DecisionLog.open({ dir: join(dir, "bundle", "logs") });
const server = await createPolicyServer({ bundle: loadPolicyBundle(join(dir, "bundle")), log });
const { url } = await server.listen(0);
const features = Object.fromEntries(units.featureNames.map((f) => [f, units.features[f]![0]]));
const res = await fetch(`${url}/decide`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ unit_id: units.unitIds[0], features }),
});
const { action, propensity, policy_id } = (await res.json()) as {
  action: string;
  propensity: number;
  policy_id: string;
};
console.log(`online: ${action} (propensity ${propensity.toFixed(3)}, policy ${policy_id})`);
await server.close(); // drains, flushes and closes the log
