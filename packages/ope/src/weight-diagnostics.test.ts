import { describe, expect, it } from "vitest";
import { importanceWeights } from "./importance-weights.js";
import { tinyInputs } from "./test-helpers/tiny.js";
import { weightDiagnostics } from "./weight-diagnostics.js";

describe("weightDiagnostics", () => {
  it("hand-computed on w = [0.4, 1, 0, 0.8]", () => {
    const d = weightDiagnostics(Float64Array.of(0.4, 1, 0, 0.8), { probs: [0, 0.5, 1], clip: 0.9, tau: 0.5 });
    expect(d.n).toBe(4);
    expect(d.effectiveSampleSize).toBeCloseTo(2.2 ** 2 / 1.8, 12);
    expect(d.effectiveSampleShare).toBeCloseTo(2.2 ** 2 / 1.8 / 4, 12);
    expect(d.meanWeight).toBeCloseTo(0.55, 15);
    expect(d.maxWeight).toBe(1);
    expect(d.matchShare).toBe(0.75);
    expect(d.quantiles.values[0]).toBe(0);
    expect(d.quantiles.values[1]).toBeCloseTo(0.6, 15); // numpy: sorted [0, .4, .8, 1], h = 1.5
    expect(d.quantiles.values[2]).toBe(1);
    expect(d.clippedShare).toBe(0.25);
    expect(d.switchedShare).toBe(0.5);
  });
  it("reads the weights of the tiny example", () => {
    const d = weightDiagnostics(importanceWeights(tinyInputs()));
    expect(d.quantiles.probs).toEqual([0.5, 0.9, 0.99, 0.999]);
    expect(d.clippedShare).toBeUndefined();
  });
});
