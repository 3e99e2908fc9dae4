import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { allocate } from "./allocate.js";
import { allocationSummary } from "./allocation-summary.js";
import { type Candidates, createCandidates } from "./candidates.js";

function single(values: number[], costs: number[]): Candidates {
  return createCandidates({
    nUnits: values.length,
    unit: values.map((_, i) => i),
    action: values.map(() => 1),
    tauValue: values,
    tauCost: costs,
  });
}

describe("allocate: one budget", () => {
  it("takes the best value per cost until the budget binds", () => {
    const r = allocate(single([3, 2, 1], [1, 1, 1]), { budget: 2 });
    expect(Array.from(r.action)).toEqual([1, 1, 0]);
    expect(Array.from(r.candidate)).toEqual([0, 1, -1]);
    expect(r.totals).toMatchObject({
      units: 3,
      treated: 2,
      spend: 2,
      value: 5,
      budget: 2,
      upper_bound: 5,
      gap: 0,
    });
    expect(r.totals.lambda).toBe(1);
    expect(r.certificate.method).toBe("hull_greedy");
  });

  it("reports the LP bound with its one fractional unit", () => {
    const r = allocate(single([3, 2, 1], [1, 1, 1]), { budget: 2.5 });
    expect(r.totals.value).toBe(5);
    expect(r.totals.upper_bound).toBeCloseTo(5.5, 12);
    expect(r.totals.gap).toBeCloseTo(0.5, 12);
    expect(r.certificate.fractional).toEqual([{ unit: 2, from_action: 0, to_action: 1, fraction: 0.5 }]);
  });

  it("skips an increment that does not fit and fills with later ones", () => {
    // slopes 1, 0.8, 0.5; after A the room (2) misses B (5) but fits C (2).
    const r = allocate(single([10, 4, 1], [10, 5, 2]), { budget: 12 });
    expect(Array.from(r.action)).toEqual([1, 0, 1]);
    expect(r.totals.value).toBe(11);
    expect(r.totals.spend).toBe(12);
    expect(r.totals.upper_bound).toBeCloseTo(10 + (2 / 5) * 4, 12);
    expect(r.totals.lambda).toBeCloseTo(0.8, 15);
  });

  it("moves units along their hull: upgrades compete with first offers", () => {
    // unit 0: (1, 3) then (3, 4): upgrade slope 0.5; unit 1: (1, 1) slope 1.
    const c = createCandidates({
      nUnits: 2,
      unit: [0, 0, 1],
      action: [1, 2, 1],
      tauValue: [3, 4, 1],
      tauCost: [1, 3, 1],
    });
    expect(Array.from(allocate(c, { budget: 2 }).action)).toEqual([1, 1]);
    expect(Array.from(allocate(c, { budget: 4 }).action)).toEqual([2, 1]);
    expect(allocate(c, { budget: 4 }).totals.value).toBe(5);
  });

  it("zero budget: only free or cost-saving actions, lambda is the first slope", () => {
    // unit 1 is free, unit 2 saves 1, and that saving pays for unit 0
    const r = allocate(single([3, 2, 1], [1, 0, -1]), { budget: 0 });
    expect(Array.from(r.action)).toEqual([1, 1, 1]);
    expect(r.totals.spend).toBe(0);
    expect(r.totals.value).toBe(6);
    expect(r.totals.upper_bound).toBe(6);
    const saving = allocate(single([3, 2, 1], [2, 0, -1]), { budget: 0 });
    expect(Array.from(saving.action)).toEqual([0, 1, 1]);
    expect(saving.totals.upper_bound).toBeCloseTo(3 + 1.5, 12);
    expect(saving.totals.lambda).toBe(1.5);
    const none = allocate(single([3, 2], [1, 1]), { budget: 0 });
    expect(none.totals).toMatchObject({ treated: 0, value: 0, spend: 0, upper_bound: 0, lambda: 3 });
  });

  it("cost-saving actions are taken first and their savings are spent", () => {
    // unit 0: a1 saves 3 (value 2), a2 costs 1 (value 5); unit 1: a1 costs 2 (value 3).
    const c = createCandidates({
      nUnits: 2,
      unit: [0, 0, 1],
      action: [1, 2, 1],
      tauValue: [2, 5, 3],
      tauCost: [-3, 1, 2],
    });
    const r = allocate(c, { budget: 0 });
    expect(Array.from(r.action)).toEqual([1, 1]);
    expect(r.totals.spend).toBe(-1);
    expect(r.totals.value).toBe(5);
    // LP: unit 1 (slope 1.5) then a quarter of unit 0's upgrade (slope 0.75)
    expect(r.totals.upper_bound).toBeCloseTo(5.75, 12);
    expect(r.totals.lambda).toBeCloseTo(0.75, 15);
  });

  it("everything pruned: nobody treated, bound 0", () => {
    const r = allocate(single([-1, 0], [1, 1]), { budget: 10 });
    expect(r.totals).toMatchObject({ treated: 0, value: 0, spend: 0, upper_bound: 0, gap: 0, lambda: 0 });
    expect(r.prune.non_positive_value).toBe(2);
  });

  it("ties are broken by unit index, identically on every call", () => {
    const c = single([1, 1, 1, 1], [1, 1, 1, 1]);
    const a = allocate(c, { budget: 2 });
    expect(Array.from(a.action)).toEqual([1, 1, 0, 0]);
    expect(Array.from(allocate(c, { budget: 2 }).action)).toEqual(Array.from(a.action));
  });

  it("rejects NaN scores that bypassed createCandidates, and bad limits", () => {
    const c = single([1, 2], [1, 1]);
    const broken: Candidates = { ...c, tauValue: new Float64Array([1, Number.NaN]) };
    expect(() => allocate(broken, { budget: 1 })).toThrowError(
      /tau_value is NaN or infinite in 1 candidate row\(s\): 1/,
    );
    expect(() => allocate(c, { budget: -1 })).toThrowError(CiaError);
    expect(() => allocate(c, { budget: Number.NaN })).toThrowError(/budget/);
    expect(() => allocate(c, { minValuePerCost: -1 })).toThrowError(/minValuePerCost/);
  });
});

describe("allocate: guardrails", () => {
  it("no limit: every unit takes its most valuable option", () => {
    const c = createCandidates({
      nUnits: 2,
      unit: [0, 0, 1],
      action: [1, 2, 1],
      tauValue: [3, 4, 1],
      tauCost: [1, 3, 1],
    });
    const r = allocate(c);
    expect(Array.from(r.action)).toEqual([2, 1]);
    expect(r.certificate.method).toBe("unconstrained");
    expect(r.totals.upper_bound).toBe(r.totals.value);
  });

  it("volume cap alone: the most valuable units, each with its best option", () => {
    const c = createCandidates({
      nUnits: 3,
      unit: [0, 0, 1, 2],
      action: [1, 2, 1, 1],
      tauValue: [3, 4, 5, 1],
      tauCost: [1, 30, 1, 1],
    });
    const r = allocate(c, { maxTreated: 2 });
    expect(Array.from(r.action)).toEqual([2, 1, 0]);
    expect(r.totals.treated).toBe(2);
    expect(r.totals.upper_bound).toBe(9);
  });

  it("efficiency floor: stops where marginal value per cost falls below R; lambda = R", () => {
    const r = allocate(single([3, 1, 0.4], [1, 1, 1]), { budget: 100, minValuePerCost: 0.5 });
    expect(Array.from(r.action)).toEqual([1, 1, 0]);
    expect(r.totals.lambda).toBe(0.5);
    expect(r.prune.below_efficiency_floor).toBe(1);
    // the floor applies to upgrades too
    const c = createCandidates({
      nUnits: 1,
      unit: [0, 0],
      action: [1, 2],
      tauValue: [3, 3.4],
      tauCost: [1, 2],
    });
    expect(Array.from(allocate(c, { minValuePerCost: 0.5 }).action)).toEqual([1]);
    expect(Array.from(allocate(c, { minValuePerCost: 0.3 }).action)).toEqual([2]);
  });

  it("several constraints: budget and volume through Lagrangian multipliers", () => {
    const r = allocate(single([5, 4, 3, 2, 1], [5, 1, 1, 1, 1]), { budget: 6, maxTreated: 2 });
    expect(r.certificate.method).toBe("lagrangian");
    expect(r.certificate.converged).toBe(true);
    expect(r.totals.treated).toBeLessThanOrEqual(2);
    expect(r.totals.spend).toBeLessThanOrEqual(6);
    // optimum: units 0 and 1 (value 9, cost 6)
    expect(r.totals.value).toBe(9);
    expect(r.totals.upper_bound).toBeCloseTo(9, 9);
    expect(r.constraints.map((k) => k.name)).toEqual(["budget", "max_treated"]);
  });

  it("per-channel and per-action caps", () => {
    const c = createCandidates({
      nUnits: 4,
      unit: [0, 1, 2, 3],
      action: [1, 1, 2, 2],
      tauValue: [4, 3, 2, 1],
      tauCost: [1, 1, 1, 1],
      channel: [0, 0, 1, 1],
    });
    const byChannel = allocate(c, { channelCaps: { 0: { maxTreated: 1 } } });
    expect(Array.from(byChannel.action)).toEqual([1, 0, 2, 2]);
    const byAction = allocate(c, { actionCaps: { 2: { budget: 1 } }, budget: 10 });
    expect(Array.from(byAction.action)).toEqual([1, 1, 2, 0]);
    expect(() =>
      allocate(createCandidates({ nUnits: 1, unit: [0], action: [1], tauValue: [1], tauCost: [1] }), {
        channelCaps: { 0: { maxTreated: 1 } },
      }),
    ).toThrowError(/channel column/);
  });

  it("risk-aware mode allocates on the lower bound of value", () => {
    const c = createCandidates({
      nUnits: 3,
      unit: [0, 1, 2],
      action: [1, 1, 1],
      tauValue: [5, 3, 2],
      tauCost: [1, 1, 1],
      tauValueLower: [-1, 2, 1.5],
      tauValueSe: [3, 0.5, 0.25],
    });
    const lower = allocate(c, { budget: 2, risk: "lower" });
    expect(Array.from(lower.action)).toEqual([0, 1, 1]);
    expect(lower.totals.objective).toBe(3.5);
    expect(lower.totals.value).toBe(5);
    const z = allocate(c, { budget: 2, risk: { z: 1 } });
    expect(Array.from(z.action)).toEqual([1, 1, 0]);
    expect(z.totals.objective).toBe(4.5);
    expect(() => allocate(single([1], [1]), { risk: "lower" })).toThrowError(/tauValueLower/);
  });
});

describe("allocationSummary", () => {
  it("prints the architecture's allocate keys, JSON-safe", () => {
    const s = allocationSummary(allocate(single([3, 2, 1], [1, 1, 1]), { budget: 2 }));
    expect(Object.keys(s)).toEqual([
      "units",
      "treated",
      "spend",
      "value",
      "budget",
      "lambda",
      "upper_bound",
      "gap",
    ]);
    expect(allocationSummary(allocate(single([1], [1]))).budget).toBeNull();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
