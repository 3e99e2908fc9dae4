import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng } from "@cia/core";
import { readExperimentTable, writeTable } from "@cia/logging-schema";
import { trainCiaModel } from "@cia/model";
import { DecisionLog, createPolicyServer, deployPolicy, loadPolicyBundle } from "@cia/serve";

// A logged experiment (1,000 units, control + 4 offers drawn uniformly) and a model trained on it.
const dir = mkdtempSync(join(tmpdir(), "cia-serve-example-"));
const rng = createRng(1);
const offers = ["control", "pct10", "pct20", "free_ship", "bogo"];
const rows = Array.from({ length: 1000 }, (_, i) => {
  const recency = rng.uniform(0, 60);
  const spend = rng.exponential(1 / 40);
  const a = rng.int(offers.length);
  const lift = a === 0 ? 0 : (a * 0.8 * Math.max(0, 30 - recency)) / 30;
  return {
    unit_id: `u${i}`,
    action: offers[a]!,
    propensity: 1 / offers.length,
    value: Math.max(0, 0.05 * spend + lift + rng.normal(0, 1)),
    cost: a === 0 ? 0 : a * 0.4 + rng.uniform(0, 0.2),
    recency,
    spend,
  };
});
await writeTable(join(dir, "units.csv"), rows, {
  columns: ["unit_id", "action", "propensity", "value", "cost", "recency", "spend"],
});
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

// Batch step: solve lambda for a budget of 300 over these units and write the bundle.
const units = await readExperimentTable(join(dir, "units.csv"), {
  features: model.file.contract.features.map((f) => f.name),
});
const { manifest, decisions } = await deployPolicy({
  modelPath: join(dir, "model.json"),
  table: units,
  budget: 300,
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
