import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { deterministicPolicy } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";
import { inactivityHeuristic } from "./inactivity-heuristic.js";
import { oracleAllocation } from "./oracle-allocation.js";

/** Best integral allocation by enumerating all K^n assignments. */
function bruteForce(v: Float64Array, c: Float64Array, n: number, k: number, budget: number): number {
  let best = Number.NEGATIVE_INFINITY;
  const choice = new Int32Array(n);
  const total = k ** n;
  for (let code = 0; code < total; code++) {
    let x = code;
    let val = 0;
    let cost = 0;
    for (let i = 0; i < n; i++) {
      choice[i] = x % k;
      x = Math.floor(x / k);
      val += v[i * k + choice[i]!]!;
      cost += c[i * k + choice[i]!]!;
    }
    if (cost <= budget + 1e-12 && val > best) best = val;
  }
  return best;
}

describe("oracleAllocation", () => {
  it("solves the documented example", () => {
    const r = oracleAllocation(new Float64Array([0, 1, 0, 3]), new Float64Array([0, 2, 0, 2]), 2, 2, 2);
    expect(Array.from(r.assignment)).toEqual([0, 1]);
    expect(r.value).toBe(3);
    expect(r.fractional).toBeNull();
  });

  it("is an LP optimum (dual bound met) that bounds every feasible integral allocation", () => {
    const rng = createRng("oracle-brute");
    for (let trial = 0; trial < 150; trial++) {
      const n = 2 + rng.int(4);
      const k = 2 + rng.int(3);
      const v = new Float64Array(n * k);
      const c = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        for (let a = 1; a < k; a++) {
          // Some negative values, some ties in cost, a few zero-cost actions.
          c[i * k + a] = rng.next() < 0.1 ? 0 : Math.round(rng.uniform(0, 5) * 2) / 2;
          v[i * k + a] = Math.round(rng.uniform(-2, 6) * 4) / 4;
        }
      }
      const budget = rng.uniform(0, 3 * n);
      const r = oracleAllocation(v, c, n, k, budget);
      const best = bruteForce(v, c, n, k, budget);
      expect(r.value).toBeGreaterThanOrEqual(best - 1e-9);
      expect(r.cost).toBeLessThanOrEqual(budget + 1e-9);
      expect(r.integralCost).toBeLessThanOrEqual(budget + 1e-9);
      expect(r.integralValue).toBeLessThanOrEqual(best + 1e-9);
      let iv = 0;
      let ic = 0;
      for (let i = 0; i < n; i++) {
        iv += v[i * k + r.assignment[i]!]!;
        ic += c[i * k + r.assignment[i]!]!;
      }
      expect(iv).toBeCloseTo(r.integralValue, 9);
      expect(ic).toBeCloseTo(r.integralCost, 9);
      // Weak duality: for any lambda >= 0, LP <= lambda B + sum_i max_a (v - lambda c); equality at
      // the returned lambda certifies that r.value is the LP optimum.
      let dual = r.lambda * budget;
      for (let i = 0; i < n; i++) {
        let m = Number.NEGATIVE_INFINITY;
        for (let a = 0; a < k; a++) m = Math.max(m, v[i * k + a]! - r.lambda * c[i * k + a]!);
        dual += m;
      }
      expect(r.value).toBeCloseTo(dual, 9);
    }
  });

  it("never spends on value-destroying actions and refuses bad input", () => {
    const r = oracleAllocation(new Float64Array([0, -1, 0, -2]), new Float64Array([0, 1, 0, 1]), 2, 2, 10);
    expect(r.value).toBe(0);
    expect(r.cost).toBe(0);
    expect(() => oracleAllocation(new Float64Array(3), new Float64Array(4), 2, 2, 1)).toThrow(/n x K/);
    expect(() => oracleAllocation(new Float64Array([0, Number.NaN]), new Float64Array(2), 1, 2, 1)).toThrow(
      /finite/,
    );
  });

  it("beats the inactivity heuristic and treat-all at their spend in the default world", () => {
    const world = createWorld("default");
    const k = world.actions.length;
    const pop = world.sampleUnits(20_000, { seed: 11 });
    const heuristic = world.policyValue(
      pop,
      deterministicPolicy(inactivityHeuristic(pop, { minDaysInactive: 30, action: 3 }), k),
    );
    const spend = heuristic.incrementalCost * pop.n;
    const o = world.oracle(pop, spend);
    expect(o.cost).toBeLessThanOrEqual(spend + 1e-6);
    expect(o.value).toBeGreaterThan(1.3 * heuristic.incrementalValue * pop.n);
    const integral = world.policyValue(pop, deterministicPolicy(o.assignment, k));
    expect(integral.incrementalValue * pop.n).toBeCloseTo(o.integralValue, 6);
    const all = world.policyValue(pop, deterministicPolicy(new Int32Array(pop.n).fill(3), k));
    const oAll = world.oracle(pop, all.incrementalCost * pop.n);
    expect(oAll.value).toBeGreaterThan(2 * all.incrementalValue * pop.n);
  });
});
