import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { createCandidates } from "./candidates.js";
import { candidatesFromMatrix } from "./candidates-from-matrix.js";
import { candidatesFromRows } from "./candidates-from-rows.js";

describe("createCandidates", () => {
  it("wraps columns as typed arrays", () => {
    const c = createCandidates({
      nUnits: 2,
      unit: [0, 1],
      action: [1, 2],
      tauValue: [1, 2],
      tauCost: [0.5, 1],
    });
    expect(c.unit).toBeInstanceOf(Int32Array);
    expect(c.tauValue).toBeInstanceOf(Float64Array);
    expect(Array.from(c.action)).toEqual([1, 2]);
  });

  it("rejects NaN and infinite scores naming the rows", () => {
    const bad = () =>
      createCandidates({
        nUnits: 3,
        unit: [0, 1, 2],
        action: [1, 1, 1],
        tauValue: [1, Number.NaN, 2],
        tauCost: [1, 1, Number.POSITIVE_INFINITY],
      });
    expect(bad).toThrowError(/tau_value is NaN or infinite in 1 candidate row\(s\): 1/);
    try {
      bad();
    } catch (e) {
      expect(CiaError.isInstance(e)).toBe(true);
      expect((e as CiaError).code).toBe("non_finite_score");
      expect((e as CiaError).details.rows).toEqual([1]);
    }
    expect(() =>
      createCandidates({ nUnits: 1, unit: [0], action: [1], tauValue: [1], tauCost: [Number.NaN] }),
    ).toThrowError(/tau_cost .* 0/);
  });

  it("does not check ineligible rows for NaN", () => {
    const c = createCandidates({
      nUnits: 1,
      unit: [0, 0],
      action: [1, 2],
      tauValue: [1, Number.NaN],
      tauCost: [1, Number.NaN],
      eligible: [1, 0],
    });
    expect(c.eligible![1]).toBe(0);
  });

  it("rejects bad shapes, units and actions", () => {
    expect(() =>
      createCandidates({ nUnits: 1, unit: [0], action: [1, 1], tauValue: [1], tauCost: [1] }),
    ).toThrowError(/shape|rows/);
    expect(() =>
      createCandidates({ nUnits: 1, unit: [1], action: [1], tauValue: [1], tauCost: [1] }),
    ).toThrowError(/unit 1 is not in 0..0/);
    expect(() =>
      createCandidates({ nUnits: 1, unit: [0], action: [0], tauValue: [1], tauCost: [1] }),
    ).toThrowError(/no-offer/);
  });
});

describe("candidatesFromMatrix", () => {
  it("skips column 0 (no offer) and keeps row-major order", () => {
    const c = candidatesFromMatrix({
      nUnits: 2,
      nActions: 3,
      tauValue: [0, 3, 5, 0, 2, 1],
      tauCost: [0, 1, 3, 0, 1, 1],
      channel: [0, 7, 8],
    });
    expect(Array.from(c.unit)).toEqual([0, 0, 1, 1]);
    expect(Array.from(c.action)).toEqual([1, 2, 1, 2]);
    expect(Array.from(c.tauValue)).toEqual([3, 5, 2, 1]);
    expect(Array.from(c.channel!)).toEqual([7, 8, 7, 8]);
  });

  it("allows NaN only in ineligible cells", () => {
    const input = {
      nUnits: 1,
      nActions: 2,
      tauValue: [0, Number.NaN],
      tauCost: [0, 1],
    };
    expect(() => candidatesFromMatrix(input)).toThrowError(/NaN/);
    expect(candidatesFromMatrix({ ...input, eligible: [1, 0] }).eligible![0]).toBe(0);
  });
});

describe("candidatesFromRows", () => {
  it("assigns codes in first-seen order with control at 0", () => {
    const r = candidatesFromRows([
      { unit_id: "b", action: "10off", tau_value: 3, tau_cost: 2, channel: "push" },
      { unit_id: "a", action: "5off", tau_value: 2, tau_cost: 1, channel: "email" },
      { unit_id: "b", action: "5off", tau_value: 1, tau_cost: 1, channel: "email" },
    ]);
    expect(r.units).toEqual(["b", "a"]);
    expect(r.actions).toEqual(["control", "10off", "5off"]);
    expect(r.channels).toEqual(["push", "email"]);
    expect(Array.from(r.candidates.unit)).toEqual([0, 1, 0]);
    expect(Array.from(r.candidates.action)).toEqual([1, 2, 2]);
  });

  it("rejects the control arm as a candidate", () => {
    expect(() =>
      candidatesFromRows([{ unit_id: "a", action: "control", tau_value: 1, tau_cost: 1 }]),
    ).toThrowError(/no-offer/);
  });
});
