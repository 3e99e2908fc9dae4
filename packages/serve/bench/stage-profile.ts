/**
 * Per-stage CPU of one single-unit decision on the bench model, in process (not part of
 * `pnpm bench`): `node --import tsx --conditions=@cia/source bench/stage-profile.ts`. Each stage
 * runs 20,000 times after a 2,000-call warm-up and prints its mean in microseconds.
 */
import { randomUUID } from "node:crypto";
import { type Decision, safeParseDecision } from "@cia/logging-schema";
import { compileCiaModel, modelInputs, scoreCiaModel } from "@cia/model";
import { parseDecideBody, requestTable } from "../src/decide-request.js";
import { DecisionBatcher } from "../src/decision-batcher.js";
import { decideTable } from "../src/decision-rule.js";
import { loadPolicyBundle } from "../src/load-policy-bundle.js";
import { requestFeatures } from "../src/test-helpers/serving-fixture.js";
import { buildBenchPolicy } from "./bench-model.js";

const policy = await buildBenchPolicy(10_000);
const bundle = loadPolicyBundle(policy.bundleDir);
const m = bundle.manifest;
const model = bundle.model;
const rule = { model, enabled: bundle.enabled, guardrails: m.guardrails, exploration: m.exploration };
const names = model.file.contract.features.map((f) => f.name);
const spec = { requiredFeatures: names, actions: model.file.actions, maxBatch: 1000, maxUnitIdLength: 256 };
const bodies = Array.from({ length: 2000 }, (_, i) =>
  JSON.stringify({ unit_id: policy.units.unitIds[i], features: requestFeatures(policy.units, i) }),
);
const N = 20000;
function time(label: string, f: (i: number) => unknown) {
  for (let i = 0; i < 2000; i++) f(i);
  const t = performance.now();
  for (let i = 0; i < N; i++) f(i);
  console.log(label, (((performance.now() - t) / N) * 1000).toFixed(1), "us");
}
const parsedBodies = bodies.map((b) => JSON.parse(b));
time("JSON.parse", (i) => JSON.parse(bodies[i % 2000]!));
time("parseDecideBody", (i) => parseDecideBody(parsedBodies[i % 2000], spec));
const items = parsedBodies.map((b) => {
  const r = parseDecideBody(b, spec);
  if (!r.ok) throw new Error("a bench body does not parse");
  return r.items;
});
time("requestTable", (i) => requestTable(items[i % 2000]!, names));
const tables = items.map((it) => requestTable(it, names));
time("modelInputs+predict (scoreCiaModel)", (i) =>
  scoreCiaModel(model, tables[i % 2000]!, { mode: "report" }),
);
time("decideTable", (i) => decideTable(rule, tables[i % 2000]!, { lambda: m.lambda, mode: "report" }));
const rec: Decision = {
  schema_version: 1,
  decision_id: randomUUID(),
  unit_id: "u1",
  program: m.program,
  surface: m.surface,
  policy_id: m.policy_id,
  policy_version: m.policy_version,
  decision_time: new Date().toISOString(),
  eligible_actions: [...model.file.actions],
  action: model.file.actions[1]!,
  // A valid record, as the server writes (propensity = its action's probability): an invalid one
  // misses the schema's fast path and pays zod's ~20 us, which an earlier version of this profile
  // measured as the log's validation cost.
  propensity: 1 / model.file.actions.length,
  action_probabilities: Object.fromEntries(model.file.actions.map((a) => [a, 1 / model.file.actions.length])),
  design: "policy",
  salt: m.exploration.salt,
  features: parsedBodies[0].features,
  feature_contract_hash: model.file.contract_hash,
};
time("safeParseDecision", () => safeParseDecision(rec));
time("JSON.stringify record", () => JSON.stringify(rec));
time("randomUUID", () => randomUUID());
time("toISOString", () => new Date().toISOString());
time("modelInputs", (i) => modelInputs(model, tables[i % 2000]!, { mode: "report" }));
const ins = tables.map((t) => modelInputs(model, t, { mode: "report" }));
time("uplift.predict", (i) => model.uplift.predict(ins[i % 2000]!.matrix, { segment: undefined }));
const compiled = compileCiaModel(model);
if (compiled === null) throw new Error("the bench model does not compile");
const tv = new Float64Array(model.file.actions.length);
const tc = new Float64Array(model.file.actions.length);
time("compiled scoreRow", (i) => compiled.scoreRow(parsedBodies[i % 2000].features, tv, tc, 0));
const rows = parsedBodies.map((b) => b.features);
const x = new Float64Array(compiled.contract.columns);
time("compiled contract fillRow", (i) => compiled.contract.fillRow(rows[i % 2000], x, 0));
time("compiled predictRow", () => compiled.predictor.predictRow(x, 0, tv, tc, 0));
const batcher = new DecisionBatcher(rule, names, model.file.actions.length, {
  lambda: () => m.lambda,
  stopped: () => false,
});
// The batcher's private compiled path, called directly (no event-loop turn in between).
const scoreCompiled = (
  batcher as unknown as { scoreCompiled: (items: unknown, options: unknown) => unknown }
).scoreCompiled.bind(batcher);
time("decide (compiled scores + decideScored)", (i) =>
  scoreCompiled(items[i % 2000]!, { lambda: m.lambda, stopped: false, mode: "report" }),
);
