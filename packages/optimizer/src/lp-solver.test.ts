import { describe, expect, it } from "vitest";
import { solveLp } from "./lp-solver.js";

describe("solveLp (javascript-lp-solver adapter)", () => {
  it("solves an LP and a MILP and checks integrality", () => {
    const model = {
      optimize: "v",
      opType: "max" as const,
      constraints: { b: { max: 3 }, u0: { max: 1 }, u1: { max: 1 } },
      variables: { x00: { v: 3, b: 2, u0: 1 }, x01: { v: 4, b: 3, u0: 1 }, x10: { v: 2.5, b: 2, u1: 1 } },
    };
    const lp = solveLp(model);
    expect(lp.feasible).toBe(true);
    expect(lp.integral).toBe(true);
    // LP: x00 whole (slope 1.5), then half of x10 (slope 1.25)
    expect(lp.result).toBeCloseTo(4.25, 9);
    const ip = solveLp({ ...model, ints: { x00: 1, x01: 1, x10: 1 } }, { timeoutMs: 10_000 });
    expect(ip.integral).toBe(true);
    expect(ip.timedOut).toBe(false);
    expect(ip.result).toBeCloseTo(4, 9);
    expect(ip.values.x01).toBe(1);
  });

  it("reports infeasibility", () => {
    const r = solveLp({
      optimize: "v",
      opType: "max",
      constraints: { a: { min: 2 } },
      variables: { x: { v: 1, a: 1, c: 1 } },
    });
    expect(r.feasible).toBe(true);
    const bad = solveLp({
      optimize: "v",
      opType: "max",
      constraints: { a: { min: 2 }, c: { max: 1 } },
      variables: { x: { v: 1, a: 1, c: 1 } },
    });
    expect(bad.feasible).toBe(false);
  });
});
