import { describe, expect, it } from "vitest";
import { deterministicPolicy, epsilonGreedy } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";
import { exactPolicyValue } from "./exact-policy-value.js";

describe("exactPolicyValue", () => {
  const world = createWorld("default");
  const k = world.actions.length;
  const pop = world.sampleUnits(2_000, { seed: 1 });
  const truth = world.truth(pop);

  it("is the mean of the chosen actions' expected outcomes and is linear in the policy", () => {
    const actions = Int32Array.from({ length: pop.n }, (_, i) => i % k);
    const pv = exactPolicyValue(truth, deterministicPolicy(actions, k));
    let v = 0;
    let c = 0;
    let v0 = 0;
    for (let i = 0; i < pop.n; i++) {
      v += truth.meanValue[i * k + actions[i]!]!;
      c += truth.meanCost[i * k + actions[i]!]!;
      v0 += truth.meanValue[i * k]!;
    }
    expect(pv.totalValue).toBeCloseTo(v, 8);
    expect(pv.value).toBeCloseTo(v / pop.n, 10);
    expect(pv.cost).toBeCloseTo(c / pop.n, 10);
    expect(pv.incrementalValue).toBeCloseTo((v - v0) / pop.n, 10);
    const none = exactPolicyValue(truth, deterministicPolicy(new Int32Array(pop.n), k));
    expect(none.incrementalValue).toBe(0);
    expect(none.cost).toBe(0);
    // A 30% uniform mixture is the same mixture of the two policies' values.
    const mixed = exactPolicyValue(truth, epsilonGreedy(deterministicPolicy(actions, k), k, 0.3));
    const uniform = exactPolicyValue(truth, new Float64Array(pop.n * k).fill(1 / k));
    expect(mixed.value).toBeCloseTo(0.7 * pv.value + 0.3 * uniform.value, 10);
    expect(world.policyValue(pop, deterministicPolicy(actions, k))).toEqual(pv);
  });

  it("rejects policies whose rows are not distributions", () => {
    expect(() => exactPolicyValue(truth, new Float64Array(3))).toThrow(/entries/);
    expect(() => exactPolicyValue(truth, new Float64Array(pop.n * k))).toThrow(/sum to 0/);
  });
});
