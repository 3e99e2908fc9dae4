import { DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { decisionSchema } from "./decision-schema.js";
import { parseDecision, safeParseDecision } from "./parse-records.js";
import { validDecision } from "./test-helpers/fixtures.js";

function issuesOf(input: unknown) {
  const r = safeParseDecision(input, { file: "d.jsonl", line: 7 });
  if (r.success) throw new Error("expected issues");
  return r.issues.map((i) => ({ code: i.code, path: i.path }));
}

describe("decisionSchema", () => {
  it("accepts a complete decision and a minimal one", () => {
    expect(decisionSchema.parse(validDecision())).toEqual(validDecision());
    const minimal = validDecision();
    delete (minimal as Partial<typeof minimal>).action_probabilities;
    delete (minimal as Partial<typeof minimal>).bucket;
    delete (minimal as Partial<typeof minimal>).features;
    expect(parseDecision(minimal)).toEqual(minimal);
    expect(parseDecision(validDecision({ propensity: 1, action_probabilities: undefined }))).toBeTruthy();
  });

  it("stamps file and line on every issue", () => {
    const r = safeParseDecision(validDecision({ propensity: 0 }), { file: "d.jsonl", line: 7 });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues[0]).toMatchObject({ file: "d.jsonl", line: 7, path: ["propensity"] });
      expect(r.issues[0]!.message).toMatch(/propensity must be in \(0, 1\], got 0/);
    }
  });

  it.each([
    ["zero", 0],
    ["negative", -0.1],
    ["above one", 1.5],
  ])("refuses a propensity that is %s", (_name, p) => {
    expect(issuesOf(validDecision({ propensity: p, action_probabilities: undefined }))).toEqual([
      { code: "propensity_out_of_range", path: ["propensity"] },
    ]);
  });

  it("refuses non-finite numbers at their path", () => {
    expect(issuesOf(validDecision({ propensity: Number.NaN, action_probabilities: undefined }))).toEqual([
      { code: "not_finite", path: ["propensity"] },
    ]);
    expect(issuesOf(validDecision({ features: { tenure_days: Number.POSITIVE_INFINITY } }))).toEqual([
      { code: "not_finite", path: ["features", "tenure_days"] },
    ]);
  });

  it("refuses a chosen action outside the eligible ones", () => {
    expect(issuesOf(validDecision({ action: "credit_50", action_probabilities: undefined }))).toEqual([
      { code: "action_not_eligible", path: ["action"] },
    ]);
  });

  it("refuses duplicate eligible actions at the duplicate's index", () => {
    expect(
      issuesOf(
        validDecision({
          eligible_actions: ["control", "credit_5", "control"],
          action_probabilities: undefined,
        }),
      ),
    ).toEqual([{ code: "duplicate_action", path: ["eligible_actions", 2] }]);
  });

  it("refuses an action distribution that does not sum to one", () => {
    expect(
      issuesOf(validDecision({ action_probabilities: { control: 0.6, credit_5: 0.25, credit_10: 0.25 } })),
    ).toEqual([{ code: "probabilities_do_not_sum_to_one", path: ["action_probabilities"] }]);
    // within tolerance is fine
    expect(
      safeParseDecision(
        validDecision({ action_probabilities: { control: 0.5 + 1e-9, credit_5: 0.25, credit_10: 0.25 } }),
      ).success,
    ).toBe(true);
  });

  it("refuses a distribution that disagrees with the propensity or omits the chosen action", () => {
    expect(
      issuesOf(
        validDecision({
          propensity: 0.5,
          action_probabilities: { control: 0.25, credit_5: 0.25, credit_10: 0.5 },
        }),
      ),
    ).toEqual([{ code: "propensity_mismatch", path: ["action_probabilities", "credit_5"] }]);
    expect(issuesOf(validDecision({ action_probabilities: { control: 0.5, credit_10: 0.5 } }))).toEqual([
      { code: "propensity_mismatch", path: ["action_probabilities", "credit_5"] },
    ]);
  });

  it("refuses probabilities of non-eligible actions", () => {
    expect(
      issuesOf(
        validDecision({
          action_probabilities: { control: 0.25, credit_5: 0.25, credit_10: 0.25, other: 0.25 },
        }),
      ),
    ).toEqual([{ code: "action_not_eligible", path: ["action_probabilities", "other"] }]);
  });

  it("requires the contract hash with a feature reference", () => {
    expect(issuesOf(validDecision({ features: undefined, feature_ref: "snap/1" }))).toEqual([
      { code: "missing_feature_contract_hash", path: ["feature_contract_hash"] },
    ]);
    expect(issuesOf(validDecision({ feature_ref: "snap/1", feature_contract_hash: "XYZ" }))).toEqual([
      { code: "invalid_format", path: ["feature_contract_hash"] },
    ]);
  });

  it("reports missing fields, unknown fields, bad times, versions and designs", () => {
    const { unit_id: _, ...noUnit } = validDecision();
    expect(issuesOf(noUnit)).toEqual([{ code: "missing_field", path: ["unit_id"] }]);
    expect(issuesOf({ ...validDecision(), propensty: 0.3 })).toEqual([
      { code: "unknown_field", path: ["propensty"] },
    ]);
    expect(issuesOf(validDecision({ decision_time: "2026-01-01 00:00:00" }))).toEqual([
      { code: "invalid_time", path: ["decision_time"] },
    ]);
    expect(issuesOf(validDecision({ decision_time: "2026-01-01T00:00:00" }))).toEqual([
      { code: "invalid_time", path: ["decision_time"] },
    ]);
    expect(issuesOf(validDecision({ schema_version: 2 }))).toEqual([
      { code: "unsupported_schema_version", path: ["schema_version"] },
    ]);
    expect(issuesOf(validDecision({ design: "random" }))).toEqual([
      { code: "invalid_value", path: ["design"] },
    ]);
    expect(issuesOf(validDecision({ eligible_actions: [], action_probabilities: undefined }))).toEqual([
      { code: "too_short", path: ["eligible_actions"] },
      { code: "action_not_eligible", path: ["action"] },
    ]);
    expect(issuesOf(validDecision({ bucket: 1.5 }))).toEqual([{ code: "invalid_type", path: ["bucket"] }]);
    expect(issuesOf(validDecision({ features: { tenure_days: [1] } }))).toEqual([
      { code: "invalid_type", path: ["features", "tenure_days"] },
    ]);
    expect(issuesOf("not an object")).toEqual([{ code: "invalid_type", path: [] }]);
  });

  it("parseDecision throws a DataValidationError with the issues and a readable message", () => {
    let caught: unknown;
    try {
      parseDecision(validDecision({ propensity: 2, action_probabilities: undefined }), {
        file: "d.jsonl",
        line: 3,
      });
    } catch (e) {
      caught = e;
    }
    expect(DataValidationError.isInstance(caught)).toBe(true);
    const err = caught as DataValidationError;
    expect(err.issues).toHaveLength(1);
    expect(err.message).toBe(
      "d.jsonl:3: propensity: propensity must be in (0, 1], got 2 [propensity_out_of_range]",
    );
  });
});
