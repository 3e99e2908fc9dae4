import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionForBucket, bucketMap } from "./bucket-map.js";

describe("bucketMap", () => {
  it("quantizes to 2^32 buckets: exact probabilities within 2^-32 that sum to exactly 1", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 2, maxLength: 12 }),
        (raw) => {
          const total = raw.reduce((s, v) => s + v, 0);
          fc.pre(total > 0);
          const p = raw.map((v) => v / total);
          const m = bucketMap(p);
          let sum = 0;
          for (let a = 0; a < p.length; a++) {
            expect(Math.abs(m.probabilities[a]! - p[a]!)).toBeLessThanOrEqual(2 ** -32 + 1e-15);
            expect(m.probabilities[a]! * 2 ** 32).toBe(Math.round(m.probabilities[a]! * 2 ** 32));
            if (p[a] === 0) expect(m.probabilities[a]).toBe(0);
            sum += m.probabilities[a]!;
          }
          expect(sum).toBe(1);
          expect(m.thresholds[p.length - 1]).toBe(2 ** 32);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it("maps buckets to the action owning them, never to a zero-probability action", () => {
    const m = bucketMap([0.25, 0, 0.5, 0.25]);
    expect(Array.from(m.thresholds)).toEqual([2 ** 30, 2 ** 30, 3 * 2 ** 30, 2 ** 32]);
    expect(actionForBucket(m.thresholds, 0)).toBe(0);
    expect(actionForBucket(m.thresholds, 2 ** 30 - 1)).toBe(0);
    expect(actionForBucket(m.thresholds, 2 ** 30)).toBe(2);
    expect(actionForBucket(m.thresholds, 3 * 2 ** 30)).toBe(3);
    expect(actionForBucket(m.thresholds, 2 ** 32 - 1)).toBe(3);
  });

  it("refuses invalid distributions", () => {
    expect(() => bucketMap([0.5, 0.6])).toThrow(/sum/);
    expect(() => bucketMap([-0.1, 1.1])).toThrow(/not in \[0, 1\]/);
    expect(() => bucketMap([1 - 1e-11, 1e-11])).toThrow(/2\^-32/);
  });
});
