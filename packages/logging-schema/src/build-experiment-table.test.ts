import { CiaError, DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { buildExperimentTable, buildHorizonTables } from "./build-experiment-table.js";
import type { Decision } from "./decision-schema.js";
import type { OutcomeEvent } from "./outcome-event-schema.js";
import { validDecision, validOutcome } from "./test-helpers/fixtures.js";

const dec = (id: string, unit: string, time: string, extra: Record<string, unknown> = {}): Decision =>
  validDecision({ decision_id: id, unit_id: unit, decision_time: time, features: { f: id }, ...extra });
const ev = (
  id: string,
  unit: string,
  decision: string | undefined,
  kind: "value" | "cost",
  amount: number,
  time: string,
  extra: Record<string, unknown> = {},
): OutcomeEvent =>
  validOutcome({
    event_id: id,
    unit_id: unit,
    decision_id: decision,
    kind,
    amount,
    time,
    metric: kind === "value" ? "margin" : undefined,
    ...(kind === "cost" ? { cost_definition: "credit_deposited" } : {}),
    ...extra,
  });

// Hand-made logs; the comments give each event's fate for a 7-day horizon as of 2026-01-20.
const decisions = [
  dec("d1", "u1", "2026-01-01T00:00:00Z"), // window [01-01, 01-08)
  dec("d2", "u1", "2026-01-05T00:00:00Z"), // window [01-05, 01-12)
  dec("d3", "u2", "2026-01-10T12:00:00Z"), // window [01-10T12, 01-17T12)
  dec("d4", "u3", "2026-01-14T00:00:00Z"), // window ends 01-21 > asOf: censored
  dec("d5", "u4", "2026-01-02T00:00:00Z", { program: "loyalty" }), // other program
];
const outcomes = [
  ev("e1", "u1", "d1", "value", 10, "2026-01-02T00:00:00Z"), // d1 by id
  ev("e2", "u1", "d1", "value", 5, "2026-01-08T00:00:00Z"), // exactly at window end: afterWindow
  ev("e3", "u1", undefined, "value", 3, "2026-01-06T00:00:00Z"), // last touch before 01-06 is d2
  ev("e4", "u1", undefined, "cost", 2, "2026-01-04T00:00:00Z"), // last touch d1
  ev("e5", "u1", undefined, "value", 7, "2026-01-13T00:00:00Z"), // d2's window closed 01-12: unattributed
  ev("e6", "u2", "d3", "cost", 4, "2026-01-10T11:00:00Z"), // before its decision
  ev("e7", "u2", "d3", "cost", 1.5, "2026-01-17T11:59:59Z"), // d3, one second before the end
  ev("e8", "u3", "d4", "value", 9, "2026-01-15T00:00:00Z"), // to a censored decision
  ev("e9", "u9", "d_unknown", "value", 1, "2026-01-02T00:00:00Z"), // unknown decision
  ev("e10", "u2", "d1", "value", 1, "2026-01-02T00:00:00Z"), // d1 belongs to u1: unit mismatch
  ev("e11", "u1", "d1", "value", 100, "2026-01-25T00:00:00Z"), // after asOf
  ev("e12", "u4", "d5", "value", 3, "2026-01-03T00:00:00Z"), // decision of another program
  ev("e13", "u1", "d2", "value", 2, "2026-01-06T00:00:00Z", { metric: "orders" }), // other metric
  ev("e14", "u2", undefined, "cost", 2, "2026-01-11T00:00:00+01:00", {
    cost_definition: "realized_redemption",
  }), // d3 by unit
];
const base = { program: "winback", valueMetric: "margin" } as const;

describe("buildExperimentTable", () => {
  it("labels a 7-day horizon by hand-computed windows, censoring and attribution", () => {
    const { rows, report } = buildExperimentTable(decisions, outcomes, {
      ...base,
      horizonDays: 7,
      asOf: "2026-01-20T00:00:00Z",
    });
    expect(rows).toEqual([
      { unit_id: "u1", action: "credit_5", propensity: 0.25, value: 10, cost: 2, f: "d1" },
      { unit_id: "u1", action: "credit_5", propensity: 0.25, value: 3, cost: 0, f: "d2" },
      { unit_id: "u2", action: "credit_5", propensity: 0.25, value: 0, cost: 3.5, f: "d3" },
    ]);
    expect(report.decisions).toEqual({
      total: 5,
      labelled: 3,
      censored: 1,
      otherProgram: 1,
      featuresByReference: 0,
    });
    expect(report.events).toEqual({
      total: 14,
      attributed: 5,
      byDecisionId: 2,
      byUnitWindow: 3,
      toCensoredDecision: 1,
      toOtherProgram: 1,
      beforeDecision: 1,
      afterWindow: 1,
      afterAsOf: 1,
      unknownDecision: 1,
      unitMismatch: 1,
      unattributed: 1,
      otherMetric: 1,
      otherCostDefinition: 0,
    });
    // every event is accounted for exactly once
    const { total, byDecisionId: _a, byUnitWindow: _b, ...fates } = report.events;
    expect(Object.values(fates).reduce((a, b) => a + b, 0)).toBe(total);
    expect(report.issues.map((i) => i.code)).toEqual(["mixed_cost_definitions"]);
    expect(report.featureColumns).toEqual(["f"]);
  });

  it("filters one cost definition and counts the others", () => {
    const { rows, report } = buildExperimentTable(decisions, outcomes, {
      ...base,
      horizonDays: 7,
      asOf: "2026-01-20T00:00:00Z",
      costDefinition: "credit_deposited",
    });
    expect(rows[2]!.cost).toBe(1.5);
    expect(report.events.otherCostDefinition).toBe(1);
    expect(report.issues).toEqual([]);
  });

  it("never labels a censored decision zero: it is absent until its window closes", () => {
    const only = [dec("x", "u1", "2026-01-15T00:00:00Z")];
    const open = buildExperimentTable(only, [], { horizonDays: 7, asOf: "2026-01-21T23:59:59Z" });
    expect(open.rows).toEqual([]);
    expect(open.report.decisions.censored).toBe(1);
    const closed = buildExperimentTable(only, [], { horizonDays: 7, asOf: "2026-01-22T00:00:00Z" });
    expect(closed.rows.map((r) => [r.value, r.cost])).toEqual([[0, 0]]);
  });

  it("supports decision-id-only and unit-window-only attribution", () => {
    const asOf = "2026-01-20T00:00:00Z";
    const byId = buildExperimentTable(decisions, outcomes, {
      ...base,
      horizonDays: 7,
      asOf,
      attribution: "decision_id",
    });
    expect(byId.rows.map((r) => [r.value, r.cost])).toEqual([
      [10, 0],
      [0, 0],
      [0, 1.5],
    ]);
    expect(byId.report.events.unattributed).toBe(4);
    const byUnit = buildExperimentTable(decisions, outcomes, {
      ...base,
      horizonDays: 7,
      asOf,
      attribution: "unit_window",
    });
    // e2 (01-08) now goes to d2 by last touch; e6 (u2 before any decision) is unattributed
    expect(byUnit.rows.map((r) => [r.value, r.cost])).toEqual([
      [10, 2],
      [8, 0],
      [0, 3.5],
    ]);
    expect(byUnit.report.events.byDecisionId).toBe(0);
  });

  it("adds ids on request and refuses duplicates and feature names that collide", () => {
    const { rows } = buildExperimentTable(decisions.slice(0, 1), [], {
      horizonDays: 1,
      asOf: "2026-02-01T00:00:00Z",
      includeIds: true,
    });
    expect(rows[0]).toMatchObject({ decision_id: "d1", decision_time: "2026-01-01T00:00:00Z" });
    expect(() =>
      buildExperimentTable([decisions[0]!, decisions[0]!], [], {
        horizonDays: 1,
        asOf: "2026-02-01T00:00:00Z",
      }),
    ).toThrow(DataValidationError);
    expect(() =>
      buildExperimentTable([dec("d", "u", "2026-01-01T00:00:00Z", { features: { value: 1 } })], [], {
        horizonDays: 1,
        asOf: "2026-02-01T00:00:00Z",
      }),
    ).toThrow(CiaError);
    expect(() => buildExperimentTable([], [], { horizonDays: 0, asOf: "2026-02-01T00:00:00Z" })).toThrow(
      /horizonDays/,
    );
  });
});

describe("buildHorizonTables", () => {
  it("censors separately for the learning and the accounting horizon", () => {
    const { learning, accounting } = buildHorizonTables(decisions, outcomes, {
      ...base,
      costDefinition: "credit_deposited",
      learningHorizonDays: 7,
      accountingHorizonDays: 28,
      asOf: "2026-02-05T00:00:00Z",
    });
    // 7 days: all four winback windows have closed by 02-05
    expect(learning.rows.map((r) => [r.f, r.value, r.cost])).toEqual([
      ["d1", 10, 2],
      ["d2", 3, 0],
      ["d3", 0, 1.5],
      ["d4", 9, 0],
    ]);
    // 28 days: d3 (until 02-07T12) and d4 (until 02-11) are still open; d1 also gets e2 (01-08) and
    // e11 (01-25); d2 gets e5 (01-13, last touch d2, inside its 28 days)
    expect(accounting.rows.map((r) => [r.f, r.value, r.cost])).toEqual([
      ["d1", 115, 2],
      ["d2", 10, 0],
    ]);
    expect(accounting.report.decisions.censored).toBe(2);
    expect(learning.report.decisions.censored).toBe(0);
    expect([learning.report.horizonDays, accounting.report.horizonDays]).toEqual([7, 28]);
  });
});
