import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval } from "./bootstrap-mean-interval.js";
import { bootstrapQuantities } from "./bootstrap-quantities.js";
import type { HeadRounds, PolicyKey } from "./policy-quantities.js";

const value = Float64Array.of(3, 5, 4, 6, 1, 0, 2, 8, 7, 4);

describe("bootstrapQuantities", () => {
  it("gives one policy's mean the interval of bootstrapMeanInterval on the same stream", () => {
    const rounds = new Map<PolicyKey, HeadRounds>([["target", { value }]]);
    const q = bootstrapQuantities(rounds, {
      level: 0.9,
      resamples: 300,
      scheme: "multinomial",
      rng: createRng(4),
    });
    const { replicates: _, ...single } = bootstrapMeanInterval(value, {
      level: 0.9,
      resamples: 300,
      seed: 4,
    });
    expect(q.mean("target", "value")).toEqual(single);
  });
  it("pairs differences on the same resamples (a shifted copy differs by a constant)", () => {
    const shifted = value.map((x) => x + 2);
    const rounds = new Map<PolicyKey, HeadRounds>([
      ["target", { value: shifted, cost: Float64Array.from(value, () => 1) }],
      ["control", { value, cost: new Float64Array(value.length) }],
    ]);
    const q = bootstrapQuantities(rounds, {
      level: 0.95,
      resamples: 200,
      scheme: "poisson",
      rng: createRng(1),
    });
    const d = q.difference("target", "control", "value");
    expect(d.estimate).toBeCloseTo(2, 14);
    expect(d.upper - d.lower).toBeLessThan(1e-12);
    expect(q.ratio("target", "control", "value").estimate).toBeCloseTo(2, 14);
  });
  it("reports NaN bounds when a ratio's denominator is 0 in some resample", () => {
    const rounds = new Map<PolicyKey, HeadRounds>([
      ["target", { value, cost: new Float64Array(value.length) }],
      ["control", { value, cost: new Float64Array(value.length) }],
    ]);
    const q = bootstrapQuantities(rounds, {
      level: 0.95,
      resamples: 20,
      scheme: "multinomial",
      rng: createRng(2),
    });
    const r = q.ratio("target", "control", "value");
    expect([r.lower, r.upper, r.se]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });
});
