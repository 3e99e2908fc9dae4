// Quickstart: log decisions and outcomes, read them back validated, build the learning and
// accounting tables, and turn features into a model matrix with a feature contract.
// Run from packages/logging-schema: pnpm exec tsx --conditions=@cia/source examples/quickstart.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Decision,
  type OutcomeEvent,
  applyFeatureContract,
  buildHorizonTables,
  inferFeatureContract,
  readDecisions,
  readOutcomeEvents,
  writeDecisions,
  writeOutcomeEvents,
  writeTable,
} from "@cia/logging-schema";

const dir = mkdtempSync(join(tmpdir(), "cia-quickstart-"));
const actions = ["control", "credit_5"];
const decisions: Decision[] = ["u1", "u2", "u3", "u4"].map((unit, i) => ({
  schema_version: 1,
  decision_id: `d${i + 1}`,
  unit_id: unit,
  program: "winback",
  surface: "push",
  policy_id: "explore",
  policy_version: "1",
  decision_time: `2026-02-0${i + 1}T09:00:00Z`,
  eligible_actions: actions,
  action: actions[i % 2]!,
  propensity: 0.5,
  action_probabilities: { control: 0.5, credit_5: 0.5 },
  design: "uniform",
  features: { tenure_days: 30 * (i + 1), country: i < 2 ? "DE" : "FR" },
}));
const outcomes: OutcomeEvent[] = [
  {
    schema_version: 1,
    event_id: "e1",
    unit_id: "u2",
    decision_id: "d2",
    kind: "value",
    amount: 12,
    time: "2026-02-04T10:00:00Z",
    metric: "margin",
  },
  {
    schema_version: 1,
    event_id: "e2",
    unit_id: "u2",
    decision_id: "d2",
    kind: "cost",
    amount: 5,
    time: "2026-02-04T10:00:00Z",
    cost_definition: "realized_redemption",
  },
  {
    schema_version: 1,
    event_id: "e3",
    unit_id: "u1",
    kind: "value",
    amount: 3,
    time: "2026-02-20T00:00:00Z",
    metric: "margin",
  },
];

// Writers validate every record and write atomically (temp file + rename).
await writeDecisions(join(dir, "decisions.jsonl"), decisions);
await writeOutcomeEvents(join(dir, "outcomes.csv"), outcomes);

// Readers stream and validate; quarantine mode sends bad rows to a rejects file and counts them.
const reader = readDecisions(join(dir, "decisions.jsonl"), { mode: "quarantine" });
const logged = await reader.toArray();
const events = await readOutcomeEvents(join(dir, "outcomes.csv")).toArray();
console.log("read", reader.summary?.valid, "decisions,", reader.summary?.rejected, "rejected");

// 7-day learning labels and 28-day accounting labels as of March 4th: the 28-day windows of the
// decision of February 4th (it ends March 4th 09:00) is still open, so it is censored, not zero. The
// value event of February 20th has no decision_id; it goes to u1's last decision (d1) and falls
// inside d1's 28-day window but outside its 7-day one.
const { learning, accounting } = buildHorizonTables(logged, events, {
  learningHorizonDays: 7,
  accountingHorizonDays: 28,
  asOf: "2026-03-04T00:00:00Z",
  costDefinition: "realized_redemption",
});
console.log("learning rows", learning.rows.length, "accounting rows", accounting.rows.length);
console.log("accounting censored", accounting.report.decisions.censored);
console.log("u1 value: learning", learning.rows[0]?.value, "accounting", accounting.rows[0]?.value);
await writeTable(join(dir, "table.csv"), learning.rows);

// One feature contract, one transformation, at training and at serving time.
const contract = inferFeatureContract(learning.rows, learning.report.featureColumns, { standardize: true });
const train = applyFeatureContract(contract, learning.rows);
const serve = applyFeatureContract(contract, [{ tenure_days: 45, country: "FR" }], {
  expectedHash: contract.hash,
});
console.log(
  train.columnNames.join(","),
  "| serving row:",
  Array.from(serve.matrix.row(0))
    .map((x) => x.toFixed(3))
    .join(","),
);

rmSync(dir, { recursive: true, force: true });
