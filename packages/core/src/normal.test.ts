import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf, normalQuantile } from "./normal.js";

// Reference values: scipy.stats.norm (cdf/ppf/pdf), scipy 1.11, printed with repr().
describe("normal distribution", () => {
  it("matches scipy's cdf", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 9);
    expect(normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 7);
    expect(normalCdf(40)).toBe(1);
    expect(Number.isNaN(normalCdf(Number.NaN))).toBe(true);
  });
  it("matches scipy's ppf and inverts the cdf", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514729, 12);
    expect(normalQuantile(1e-10) / -6.361340902404056).toBeCloseTo(1, 9);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    for (const p of [1e-6, 0.01, 0.3, 0.7, 0.99, 1 - 1e-6])
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
  });
  it("has the right density", () => {
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normalPdf(1)).toBeCloseTo(0.24197072451914337, 15);
  });
});
