import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval } from "./bootstrap-mean-interval.js";
import { normalMeanInterval } from "./normal-mean-interval.js";

describe("bootstrapMeanInterval", () => {
  it("agrees with the normal interval on a large smooth sample, for both schemes", () => {
    const rng = createRng(3);
    const x = new Float64Array(20_000).map(() => rng.normal(2, 3));
    const normal = normalMeanInterval(x);
    for (const scheme of ["multinomial", "poisson"] as const) {
      const boot = bootstrapMeanInterval(x, { resamples: 2000, seed: 1, scheme });
      expect(boot.estimate).toBe(normal.estimate);
      expect(boot.se / normal.se).toBeGreaterThan(0.92);
      expect(boot.se / normal.se).toBeLessThan(1.08);
      expect(Math.abs(boot.lower - normal.lower)).toBeLessThan(0.15 * normal.se);
      expect(Math.abs(boot.upper - normal.upper)).toBeLessThan(0.15 * normal.se);
    }
  });
  it("is reproducible from its seed", () => {
    const x = Float64Array.of(1, 5, 2, 8, 3, 3, 9, 0);
    const a = bootstrapMeanInterval(x, { resamples: 200, seed: "a" });
    const b = bootstrapMeanInterval(x, { resamples: 200, rng: createRng("a") });
    expect([a.lower, a.upper]).toEqual([b.lower, b.upper]);
    expect(a.lower).toBeLessThanOrEqual(a.estimate);
    expect(a.upper).toBeGreaterThanOrEqual(a.estimate);
  });
});
