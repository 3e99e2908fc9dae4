import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { explorationBudget } from "./exploration-budget.js";

/** Greedy by value per cost at a handed budget (a stand-in for the optimizer). */
function greedy(n: number, k: number, value: Float64Array, cost: Float64Array) {
  return (h: number): Int32Array => {
    const best = new Int32Array(n);
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => value[b * k + 1]! / cost[b * k + 1]! - value[a * k + 1]! / cost[a * k + 1]!,
    );
    let spent = 0;
    for (const i of order) {
      if (value[i * k + 1]! <= 0 || spent + cost[i * k + 1]! > h) continue;
      best[i] = 1;
      spent += cost[i * k + 1]!;
    }
    return best;
  };
}

describe("explorationBudget", () => {
  const n = 400;
  const k = 3;
  const rng = createRng("exploration-budget");
  const value = new Float64Array(n * k);
  const cost = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let a = 1; a < k; a++) {
      value[i * k + a] = rng.next() * 2 - 0.3;
      cost[i * k + a] = 0.5 + rng.next() * a;
    }
  }

  it("keeps the mixture's expected predicted cost within the budget, and close to it", () => {
    for (const epsilon of [0, 0.05, 0.2]) {
      const b = explorationBudget({
        n,
        k,
        predictedCost: cost,
        budget: 150,
        settings: { epsilon, salt: "s" },
        allocate: greedy(n, k, value, cost),
      });
      let expected = 0;
      for (let j = 0; j < n * k; j++) expected += b.probabilities[j]! * cost[j]!;
      expect(b.feasible).toBe(true);
      expect(expected).toBeCloseTo(b.expectedCost, 9);
      expect(expected).toBeLessThanOrEqual(150 + 1e-9);
      expect(expected).toBeGreaterThan(150 - 2.6); // within one unit's cost of the budget
      if (epsilon === 0) expect(b.handedBudget).toBe(150);
      else expect(b.handedBudget).toBeLessThan(150);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += b.probabilities[i * k + a]!;
        expect(s).toBeCloseTo(1, 12);
      }
    }
  });

  it("stays budget-safe with a control floor (the shifted mass is free), handing a larger budget", () => {
    const base = { n, k, predictedCost: cost, budget: 150, allocate: greedy(n, k, value, cost) };
    const plain = explorationBudget({ ...base, settings: { epsilon: 0.05, salt: "s" } });
    const b = explorationBudget({ ...base, settings: { epsilon: 0.05, controlFloor: 0.1, salt: "s" } });
    let expected = 0;
    for (let j = 0; j < n * k; j++) expected += b.probabilities[j]! * cost[j]!;
    expect(expected).toBeCloseTo(b.expectedCost, 9);
    expect(expected).toBeLessThanOrEqual(150 + 1e-9);
    expect(expected).toBeGreaterThan(150 - 2.6);
    expect(b.handedBudget).toBeGreaterThan(plain.handedBudget);
    for (let i = 0; i < n; i++) {
      if (b.recommended[i] !== 0) expect(b.probabilities[i * k]).toBeCloseTo(0.1, 12);
    }
  });

  it("handles floors that differ by unit (ineligible actions) by bisection, and infeasible budgets", () => {
    const eligible = new Uint8Array(n * k).fill(1);
    for (let i = 0; i < n; i += 2) eligible[i * k + 2] = 0;
    const b = explorationBudget({
      n,
      k,
      predictedCost: cost,
      eligible,
      budget: 80,
      settings: { epsilon: 0, floor: 0.1, salt: "s" },
      allocate: greedy(n, k, value, cost),
    });
    let expected = 0;
    for (let j = 0; j < n * k; j++) expected += b.probabilities[j]! * cost[j]!;
    expect(expected).toBeLessThanOrEqual(80 + 1e-9);
    for (let i = 0; i < n; i += 2) expect(b.probabilities[i * k + 2]).toBe(0);
    expect(b.probabilities[1 * k + 2]).toBeGreaterThanOrEqual(0.1 - 1e-12);
    const tiny = explorationBudget({
      n,
      k,
      predictedCost: cost,
      budget: 1,
      settings: { epsilon: 0.3, salt: "s" },
      allocate: greedy(n, k, value, cost),
    });
    expect(tiny.feasible).toBe(false);
    expect(tiny.explorationCost).toBeGreaterThan(1);
  });
});
