import { describe, expect, it } from "vitest";
import { deterministicPolicy, uniformDesign } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";
import { inactivityHeuristic } from "./inactivity-heuristic.js";
import { oracleAllocation } from "./oracle-allocation.js";
import { learnabilityCell as cell } from "./test-helpers/learnability-cell.js";

describe("default world learnability", () => {
  it("a cell-means uplift model from 30k randomized units beats the inactivity heuristic at equal spend", () => {
    const world = createWorld("default");
    const k = world.actions.length;
    const train = world.sampleUnits(30_000, { seed: "learn-train" });
    const log = world.log(train, uniformDesign(k), { seed: "learn-log" });
    const cells = 48;
    const sums = new Float64Array(cells * k * 3); // count, value sum, cost sum
    for (let i = 0; i < train.n; i++) {
      const o = (cell(train, i) * k + log.action[i]!) * 3;
      sums[o]!++;
      sums[o + 1]! += log.value[i]!;
      sums[o + 2]! += log.cost[i]!;
    }
    const test = world.sampleUnits(30_000, { seed: "learn-test" });
    const predV = new Float64Array(test.n * k);
    const predC = new Float64Array(test.n * k);
    for (let i = 0; i < test.n; i++) {
      const c = cell(test, i);
      const o0 = c * k * 3;
      const n0 = Math.max(1, sums[o0]!);
      for (let a = 1; a < k; a++) {
        const o = (c * k + a) * 3;
        const na = sums[o]!;
        if (na < 20) continue; // no support: treat as no effect
        predV[i * k + a] = sums[o + 1]! / na - sums[o0 + 1]! / n0;
        predC[i * k + a] = Math.max(0, sums[o + 2]! / na - sums[o0 + 2]! / n0);
      }
    }
    const heuristic = world.policyValue(
      test,
      deterministicPolicy(inactivityHeuristic(test, { minDaysInactive: 30, action: 3 }), k),
    );
    const spend = heuristic.incrementalCost * test.n;
    const learned = oracleAllocation(predV, predC, test.n, k, spend);
    const achieved = world.policyValue(test, deterministicPolicy(learned.assignment, k));
    const best = world.oracle(test, spend);
    // Equal spend within 10% (the model's cost estimates are unbiased but not exact).
    expect(achieved.incrementalCost * test.n).toBeLessThan(1.1 * spend);
    expect(achieved.incrementalValue).toBeGreaterThan(1.1 * heuristic.incrementalValue);
    expect(best.value).toBeGreaterThan(achieved.incrementalValue * test.n);
  });
});
