import { describe, expect, it } from "vitest";
import { bootstrapInterval, percentileInterval } from "./bootstrap-interval.js";
import { kendall, spearman } from "./rank-correlation.js";
import { createRng } from "./rng.js";

describe("rank correlation", () => {
  it("matches scipy.stats.spearmanr", () => {
    // scipy docs example: spearmanr([1,2,3,4,5], [5,6,7,8,7]).statistic == 0.8207826816681233
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 14);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(Number.isNaN(spearman([1, 1, 1], [1, 2, 3]))).toBe(true);
  });
  it("matches scipy.stats.kendalltau (tau-b)", () => {
    // scipy docs example: kendalltau([12,2,1,12,2], [1,4,7,1,0]).statistic == -0.47140452079103173
    expect(kendall([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 14);
    expect(kendall([1, 2, 3, 4], [1, 2, 3, 4])).toBeCloseTo(1, 15);
    expect(kendall([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
  });
  it("kendall's merge sort agrees with the O(n^2) definition on random data with ties", () => {
    const r = createRng(17);
    for (let t = 0; t < 20; t++) {
      const n = 5 + r.int(60);
      const x = Array.from({ length: n }, () => r.int(8));
      const y = Array.from({ length: n }, () => r.int(8));
      let c = 0;
      let d = 0;
      let tx = 0;
      let ty = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          const s = Math.sign(x[i]! - x[j]!) * Math.sign(y[i]! - y[j]!);
          if (s > 0) c++;
          else if (s < 0) d++;
          if (x[i] === x[j]) tx++;
          if (y[i] === y[j]) ty++;
        }
      const n0 = (n * (n - 1)) / 2;
      const brute = (c - d) / Math.sqrt((n0 - tx) * (n0 - ty));
      expect(kendall(x, y)).toBeCloseTo(brute, 12);
    }
  });
  it("rejects mismatched or non-finite input", () => {
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
    expect(() => kendall([1, Number.NaN], [1, 2])).toThrow(RangeError);
  });
});

describe("bootstrap intervals", () => {
  it("percentile interval uses numpy's linear quantiles", () => {
    const reps = Float64Array.from({ length: 101 }, (_, i) => i);
    const r = percentileInterval(reps, 0.9);
    expect(r.lower).toBeCloseTo(5, 12);
    expect(r.upper).toBeCloseTo(95, 12);
    expect(() => percentileInterval(reps, 1)).toThrow(RangeError);
  });
  it("covers a normal mean at about the nominal rate", () => {
    const rng = createRng(8);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const y = Float64Array.from({ length: 60 }, () => rng.normal(1, 2));
      const r = bootstrapInterval(
        y.length,
        (idx) => {
          let s = 0;
          for (const i of idx) s += y[i]!;
          return s / idx.length;
        },
        { resamples: 300, rng: rng.split(t) },
      );
      if (r.lower <= 1 && 1 <= r.upper) covered++;
    }
    // Percentile bootstrap under-covers slightly at n = 60; 95% nominal, binomial sd ~1.5%.
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThanOrEqual(0.99);
  });
});
