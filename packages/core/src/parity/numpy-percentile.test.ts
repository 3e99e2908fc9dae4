import { describe, expect, it } from "vitest";
import { numpyMidpointPercentile } from "./numpy-percentile.js";

describe("numpyMidpointPercentile", () => {
  it("equals np.percentile(x, q, method='midpoint') to the last bit", () => {
    // numpy 2.4: x = [((i * 7919) % 1000) / 7 for i in range(101)];
    // np.percentile(x, np.linspace(0, 100, 17)[1:-1], method="midpoint")
    const want = [
      8.214285714285715, 16.214285714285715, 25.57142857142857, 35.142857142857146, 43.35714285714286,
      52.714285714285715, 62.07142857142857, 70.28571428571429, 79.85714285714286, 89.21428571428572,
      97.21428571428572, 108.14285714285714, 116.35714285714286, 124.35714285714286, 131.92857142857144,
    ];
    const s = Float64Array.from({ length: 101 }, (_, i) => ((i * 7919) % 1000) / 7).sort();
    const step = 100 / 16; // np.linspace(0, 100, 17)[k] = k * step
    for (let k = 1; k < 16; k++)
      expect(numpyMidpointPercentile((j) => s[j]!, 101, k * step)).toBe(want[k - 1]);
    expect(numpyMidpointPercentile((j) => [1, 2, 4, 8][j]!, 4, 50)).toBe(3);
    expect(numpyMidpointPercentile((j) => [0.1, 0.2, 0.7][j]!, 3, 30)).toBe(0.15000000000000002);
  });
});
