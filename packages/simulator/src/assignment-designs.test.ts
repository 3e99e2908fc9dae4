import { describe, expect, it } from "vitest";
import { deterministicPolicy, epsilonGreedy, policyDesign, uniformDesign } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";

describe("assignment designs", () => {
  const world = createWorld("default");
  const pop = world.sampleUnits(20_000, { seed: 2 });

  it("uniform and weighted designs log their true propensities and hit them", () => {
    const weights = [4, 1, 1, 2, 2];
    const log = world.log(pop, uniformDesign(5, weights), { seed: 3 });
    const counts = new Float64Array(5);
    for (let i = 0; i < log.n; i++) {
      const a = log.action[i]!;
      counts[a]!++;
      expect(log.propensity[i]).toBeCloseTo(weights[a]! / 10, 12);
    }
    for (let a = 0; a < 5; a++) {
      const p = weights[a]! / 10;
      expect(Math.abs(counts[a]! - pop.n * p) / Math.sqrt(pop.n * p * (1 - p))).toBeLessThan(4.5);
    }
    expect(() => uniformDesign(5, [1, 1])).toThrow(/weights/);
  });

  it("deterministic policies log propensity 1; a design and its matrix give the same log", () => {
    const actions = Int32Array.from({ length: pop.n }, (_, i) => (i * 7) % 5);
    const pi = deterministicPolicy(actions, 5);
    const log = world.log(pop, pi, { seed: 4 });
    expect(Array.from(log.action)).toEqual(Array.from(actions));
    expect(log.propensity.every((p) => p === 1)).toBe(true);
    const eg = epsilonGreedy(pi, 5, 0.25);
    const viaMatrix = world.log(pop, eg, { seed: 5 });
    const viaDesign = world.log(pop, policyDesign(eg, 5), { seed: 5 });
    expect(Buffer.from(viaMatrix.action.buffer).equals(Buffer.from(viaDesign.action.buffer))).toBe(true);
    for (let i = 0; i < 50; i++) {
      const p = viaMatrix.propensity[i]!;
      expect(p === 0.8 || Math.abs(p - 0.05) < 1e-12).toBe(true);
    }
    expect(() => deterministicPolicy([5], 5)).toThrow(/not in/);
    expect(() => world.log(pop, new Float64Array(pop.n * 5), { seed: 1 })).toThrow(/sum to 0/);
  });
});
