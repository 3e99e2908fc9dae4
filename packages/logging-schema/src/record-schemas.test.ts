import { describe, expect, it } from "vitest";
import {
  safeParseConcurrentAssignment,
  safeParseOutcomeEvent,
  safeParseRealizedTreatment,
  parseOutcomeEvent,
} from "./parse-records.js";
import { validConcurrent, validOutcome, validRealized } from "./test-helpers/fixtures.js";

const pathsOf = (r: { success: boolean; issues?: { code: string; path: (string | number)[] }[] }) =>
  r.success ? [] : r.issues!.map((i) => ({ code: i.code, path: i.path }));

describe("outcomeEventSchema", () => {
  it("accepts value and cost events, with or without a decision id", () => {
    expect(parseOutcomeEvent(validOutcome())).toEqual(validOutcome());
    const cost = validOutcome({
      kind: "cost",
      amount: 5,
      cost_definition: "credit_deposited",
      metric: undefined,
    });
    expect(safeParseOutcomeEvent(cost).success).toBe(true);
    expect(safeParseOutcomeEvent(validOutcome({ decision_id: undefined })).success).toBe(true);
    expect(safeParseOutcomeEvent(validOutcome({ amount: -3 })).success).toBe(true);
  });

  it("refuses non-finite amounts at ['amount']", () => {
    for (const amount of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(pathsOf(safeParseOutcomeEvent(validOutcome({ amount })))).toEqual([
        { code: "not_finite", path: ["amount"] },
      ]);
    }
    expect(pathsOf(safeParseOutcomeEvent(validOutcome({ amount: "12" })))).toEqual([
      { code: "invalid_type", path: ["amount"] },
    ]);
  });

  it("refuses a cost definition on a value event and unknown definitions", () => {
    expect(pathsOf(safeParseOutcomeEvent(validOutcome({ cost_definition: "credit_deposited" })))).toEqual([
      { code: "cost_definition_on_value", path: ["cost_definition"] },
    ]);
    expect(
      pathsOf(
        safeParseOutcomeEvent(validOutcome({ kind: "cost", cost_definition: "whatever", metric: undefined })),
      ),
    ).toEqual([{ code: "invalid_value", path: ["cost_definition"] }]);
    expect(pathsOf(safeParseOutcomeEvent(validOutcome({ kind: "revenue" })))).toEqual([
      { code: "invalid_value", path: ["kind"] },
    ]);
  });
});

describe("realizedTreatmentSchema", () => {
  it("accepts delivered / seen / redeemed", () => {
    for (const event of ["delivered", "seen", "redeemed"]) {
      expect(safeParseRealizedTreatment(validRealized({ event })).success).toBe(true);
    }
  });
  it("refuses other events and bad times at their paths", () => {
    expect(pathsOf(safeParseRealizedTreatment(validRealized({ event: "clicked" })))).toEqual([
      { code: "invalid_value", path: ["event"] },
    ]);
    expect(pathsOf(safeParseRealizedTreatment(validRealized({ time: "yesterday" })))).toEqual([
      { code: "invalid_time", path: ["time"] },
    ]);
  });
});

describe("concurrentAssignmentSchema", () => {
  it("accepts open and closed intervals (offsets compared as instants)", () => {
    expect(safeParseConcurrentAssignment(validConcurrent()).success).toBe(true);
    expect(safeParseConcurrentAssignment(validConcurrent({ end_time: undefined })).success).toBe(true);
    // 00:30+01:00 is 23:30Z the day before: before start_time
    expect(
      pathsOf(safeParseConcurrentAssignment(validConcurrent({ end_time: "2026-01-01T00:30:00+01:00" }))),
    ).toEqual([{ code: "time_order", path: ["end_time"] }]);
  });
});
