import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { BAGGED_HASH, bagOf, baggedBootstrap, poissonThresholds, replicateHash } from "./bagged-bootstrap.js";

describe("baggedBootstrap", () => {
  it("hashes with exact integer arithmetic (BigInt gives the same values)", () => {
    const P = BigInt(BAGGED_HASH.modulus);
    const A = BigInt(BAGGED_HASH.multiplier);
    const C = BigInt(BAGGED_HASH.increment);
    const mix = (h: bigint) => (h * h + h * A + C) % P;
    for (const unit of [0, 1, 2, 12345, 67108858, 67108859, 2 ** 40 + 3, -5]) {
      const x = ((BigInt(unit) % P) + P) % P;
      expect(bagOf(unit, 997)).toBe(Number(mix(mix(x)) % 997n));
    }
    for (const [s, r, b] of [
      [0, 0, 0],
      [7, 199, 99_999],
      [67108858, 3, 5],
    ] as const) {
      const h = mix(mix((mix((BigInt(s) + BigInt(r)) % P) + BigInt(b)) % P));
      expect(replicateHash(s, r, b)).toBe(Number(h));
    }
  });

  it("draws Poisson(1) weights: mean and variance 1, neighbouring bags uncorrelated", () => {
    const t = poissonThresholds();
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let cross = 0;
    let prev = 0;
    for (let b = 0; b < n; b++) {
      const h = replicateHash(11, 3, b);
      let c = 0;
      while (c < t.length && h >= t[c]!) c++;
      s += c;
      s2 += c * c;
      if (b > 0) cross += (c - 1) * (prev - 1);
      prev = c;
    }
    const mean = s / n;
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - mean * mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(cross / (n - 1))).toBeLessThan(0.01);
    // bags of consecutive unit keys spread evenly
    const counts = new Float64Array(100);
    for (let u = 0; u < 100_000; u++) counts[bagOf(u, 100)]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it("covers the mean of a known distribution at about the nominal rate and is reproducible", () => {
    const rng = createRng(5);
    let covered = 0;
    const trials = 60;
    for (let t = 0; t < trials; t++) {
      const n = 2000;
      const x = new Float64Array(n);
      const units = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = rng.normal(1, 2);
        units[i] = i;
      }
      const b = baggedBootstrap([x], units, { bags: 500, resamples: 200, seed: t, level: 0.9 });
      const e = b.estimates[0]!;
      if (e.lower <= 1 && 1 <= e.upper) covered++;
      expect(e.se).toBeGreaterThan(0.02);
      expect(e.se).toBeLessThan(0.07);
      if (t === 0) {
        const again = baggedBootstrap([x], units, { bags: 500, resamples: 200, seed: 0, level: 0.9 });
        expect(again.replicates).toEqual(b.replicates);
        const other = baggedBootstrap([x], units, { bags: 500, resamples: 200, seed: 1, level: 0.9 });
        expect(other.replicates).not.toEqual(b.replicates);
      }
    }
    expect(covered / trials).toBeGreaterThan(0.78);
    expect(covered / trials).toBeLessThan(0.98);
  });

  it("keeps the rows of one unit in one bag (a cluster bootstrap)", () => {
    // One unit with rows 0, 1, 2 and one with 10, 10: a replicate weights both rows of a unit
    // alike, so it is (3 c1 * 1 + 2 c2 * 10) / (3 c1 + 2 c2) for Poisson counts c1, c2.
    const x = Float64Array.of(0, 1, 2, 10, 10);
    const units = [3, 3, 3, 8, 8];
    const b = baggedBootstrap([x], units, { bags: 50, resamples: 100, seed: 2 });
    for (const r of b.replicates) {
      let ok = false;
      for (let c1 = 0; c1 < 12 && !ok; c1++)
        for (let c2 = 0; c2 < 12 && !ok; c2++)
          if (c1 + c2 > 0 && Math.abs(r - (3 * c1 + 20 * c2) / (3 * c1 + 2 * c2)) < 1e-12) ok = true;
      expect(ok).toBe(true);
    }
  });

  it("rejects bad options", () => {
    const x = Float64Array.of(1, 2);
    expect(() => baggedBootstrap([x], [1, 2], { seed: 1.5 })).toThrow(/seed/);
    expect(() => baggedBootstrap([x], [1, 2.5], { seed: 1 })).toThrow(/integers/);
    expect(() => baggedBootstrap([x], [1], { seed: 1 })).toThrow(/length/);
    expect(() => baggedBootstrap([x], [1, 2], { seed: 1, bags: 0 })).toThrow(/bags/);
  });
});
