import { describe, expect, it } from "vitest";
import { validDecision, validOutcome, validRealized } from "./test-helpers/fixtures.js";
import { validateLogConsistency } from "./validate-log-consistency.js";

describe("validateLogConsistency", () => {
  it("accepts consistent logs", () => {
    expect(
      validateLogConsistency({
        decisions: [validDecision()],
        realizedTreatments: [validRealized()],
        outcomes: [validOutcome()],
      }),
    ).toEqual([]);
  });

  it("reports duplicates, unknown decisions, unit mismatches and time order at exact paths", () => {
    const issues = validateLogConsistency({
      decisions: [validDecision(), validDecision()],
      realizedTreatments: [
        validRealized({ time: "2025-12-31T23:59:59Z" }),
        validRealized({ decision_id: "nope" }),
        validRealized({ unit_id: "u2" }),
      ],
      outcomes: [
        validOutcome({ decision_id: undefined, time: "2020-01-01T00:00:00Z" }),
        validOutcome({ time: "2025-12-31T00:00:00Z" }),
      ],
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["duplicate_decision_id", ["decisions", 1, "decision_id"]],
      ["time_order", ["realized_treatments", 0, "time"]],
      ["unknown_decision", ["realized_treatments", 1, "decision_id"]],
      ["unit_mismatch", ["realized_treatments", 2, "unit_id"]],
      ["time_order", ["outcomes", 1, "time"]],
    ]);
  });
});
