import { normalQuantile } from "@cia/core";
import { describe, expect, it } from "vitest";
import { normalMeanInterval } from "./normal-mean-interval.js";

describe("normalMeanInterval", () => {
  it("is mean +- z sd / sqrt(n) (hand-computed)", () => {
    // x = [1, 2, 3, 4, 5]: mean 3, sd (ddof 1) sqrt(2.5), se sqrt(2.5 / 5) = sqrt(0.5)
    const ci = normalMeanInterval(Float64Array.of(1, 2, 3, 4, 5), { level: 0.9 });
    const z = normalQuantile(0.95);
    expect(ci.estimate).toBe(3);
    expect(ci.se).toBeCloseTo(Math.sqrt(0.5), 14);
    expect(ci.lower).toBeCloseTo(3 - z * Math.sqrt(0.5), 14);
    expect(ci.upper).toBeCloseTo(3 + z * Math.sqrt(0.5), 14);
    expect(() => normalMeanInterval(Float64Array.of(1, 2), { level: 1 })).toThrow(RangeError);
  });
});
