import { describe, expect, it } from "vitest";
import { allocateFromMatrix } from "./allocate-from-matrix.js";
import { allocate } from "./allocate.js";
import { candidatesFromMatrix } from "./candidates-from-matrix.js";

describe("allocateFromMatrix", () => {
  const input = { nUnits: 2, nActions: 3, tauValue: [0, 3, 5, 0, 2, 1], tauCost: [0, 1, 3, 0, 1, 1] };
  it("allocates the matrix's candidates at a total budget", () => {
    const r = allocateFromMatrix(input, { budget: 2 });
    expect(Array.from(r.action)).toEqual([1, 1]);
    expect(r.totals.value).toBe(5);
    expect(r.totals.spend).toBe(2);
    expect(Array.from(allocateFromMatrix(input, { budget: 4 }).action)).toEqual([2, 1]);
    expect(Array.from(allocateFromMatrix(input).action)).toEqual([2, 1]);
  });
  it("is risk-aware on a lower bound when asked", () => {
    const lower = [0, 3, -1, 0, 2, 1];
    const risky = { ...input, tauValueLower: lower };
    const r = allocateFromMatrix(risky, { budget: 4, risk: "lower" });
    expect(Array.from(r.action)).toEqual([1, 1]);
    expect(r).toEqual(allocate(candidatesFromMatrix(risky), { budget: 4, risk: "lower" }));
  });
});
