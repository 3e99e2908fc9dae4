// Hand-made valid records and fast-check arbitraries shared by the tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { ConcurrentAssignment } from "../concurrent-assignment-schema.js";
import type { Decision } from "../decision-schema.js";
import type { ExperimentTable } from "../experiment-table.js";
import type { OutcomeEvent } from "../outcome-event-schema.js";
import type { RealizedTreatment } from "../realized-treatment-schema.js";

export function validDecision(overrides: Record<string, unknown> = {}): Decision {
  return {
    schema_version: 1,
    decision_id: "d1",
    unit_id: "u1",
    program: "winback",
    surface: "push",
    policy_id: "explore",
    policy_version: "3",
    decision_time: "2026-01-01T00:00:00Z",
    eligible_actions: ["control", "credit_5", "credit_10"],
    action: "credit_5",
    propensity: 0.25,
    action_probabilities: { control: 0.5, credit_5: 0.25, credit_10: 0.25 },
    design: "warm_start",
    bucket: 17,
    features: { tenure_days: 120, country: "DE", is_member: true, spend_90d: null },
    ...overrides,
  } as Decision;
}

export function validOutcome(overrides: Record<string, unknown> = {}): OutcomeEvent {
  return {
    schema_version: 1,
    event_id: "e1",
    unit_id: "u1",
    decision_id: "d1",
    kind: "value",
    amount: 12.5,
    time: "2026-01-02T00:00:00Z",
    metric: "margin",
    ...overrides,
  } as OutcomeEvent;
}

export function validRealized(overrides: Record<string, unknown> = {}): RealizedTreatment {
  return {
    schema_version: 1,
    decision_id: "d1",
    unit_id: "u1",
    event: "delivered",
    time: "2026-01-01T00:05:00Z",
    ...overrides,
  } as RealizedTreatment;
}

export function validConcurrent(overrides: Record<string, unknown> = {}): ConcurrentAssignment {
  return {
    schema_version: 1,
    unit_id: "u1",
    program: "loyalty",
    decision_id: "L-9",
    action: "double_points",
    start_time: "2026-01-01T00:00:00Z",
    end_time: "2026-01-08T00:00:00+01:00",
    ...overrides,
  } as ConcurrentAssignment;
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void; path: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), "cia-logging-"));
  return {
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    path: (name) => join(dir, name),
  };
}

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const isoTime = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

/**
 * Valid decisions: 1-5 distinct eligible actions, a chosen one, a consistent action distribution
 * (probabilities that are exact dyadic fractions, so they sum to exactly 1), optional fields on or off.
 */
export const decisionArb: fc.Arbitrary<Decision> = fc
  .record({
    decision_id: id,
    unit_id: id,
    program: id,
    surface: id,
    policy_id: id,
    policy_version: id,
    decision_time: isoTime,
    eligible: fc.uniqueArray(id, { minLength: 1, maxLength: 5 }),
    pick: fc.nat(),
    design: fc.constantFrom("uniform", "stratified", "warm_start", "holdout", "greedy", "policy" as const),
    withProbs: fc.boolean(),
    salt: fc.option(id, { nil: undefined }),
    bucket: fc.option(fc.nat(1000), { nil: undefined }),
    features: fc.option(
      fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
          id,
          fc.boolean(),
          fc.constant(null),
        ),
        { maxKeys: 5 },
      ),
      { nil: undefined },
    ),
    ref: fc.boolean(),
  })
  .map((r) => {
    const k = r.eligible.length;
    const action = r.eligible[r.pick % k]!;
    // Uniform over a power-of-two-sized support would be exact; use 1/k and let the chosen
    // action carry the same value, which is what a uniform design logs.
    const p = 1 / k;
    const d: Record<string, unknown> = {
      schema_version: 1,
      decision_id: r.decision_id,
      unit_id: r.unit_id,
      program: r.program,
      surface: r.surface,
      policy_id: r.policy_id,
      policy_version: r.policy_version,
      decision_time: r.decision_time,
      eligible_actions: r.eligible,
      action,
      propensity: p,
      design: r.design,
    };
    if (r.withProbs) d.action_probabilities = Object.fromEntries(r.eligible.map((a) => [a, p]));
    if (r.salt !== undefined) d.salt = r.salt;
    if (r.bucket !== undefined) d.bucket = r.bucket;
    if (r.features !== undefined) d.features = r.features;
    if (r.ref) {
      d.feature_ref = `snap/${r.unit_id}`;
      d.feature_contract_hash = "a".repeat(64);
    }
    return d as Decision;
  });

/** A three-row experiment table with actions by index, two features and no cost column. */
export function smallExperimentTable(): ExperimentTable {
  return {
    file: "t.csv",
    n: 3,
    lines: Int32Array.of(2, 3, 5),
    unitIds: ["u1", "u2", "u3"],
    action: Int32Array.of(0, 1, 0),
    actionNames: ["offer", "control"],
    propensity: Float64Array.of(0.5, 0.5, 0.25),
    value: Float64Array.of(1, 2, 3),
    featureNames: ["age", "city"],
    features: { age: [30, null, 41], city: ["Rome", "Paris", null] },
  };
}
