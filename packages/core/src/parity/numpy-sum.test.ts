import { pairwiseSum } from "../sum.js";
import { describe, expect, it } from "vitest";
import { numpyMean, numpySum, pairwiseDot, pairwiseRowSum } from "./numpy-sum.js";

// Reference values from numpy 1.24.2 (the version OBP's reference numbers were computed with):
//   i = np.arange(n); x = ((i * 7919) % 10007) / 10007 * np.where(i % 3 == 0, 1e6, 1e-3)
//   repr(float(np.sum(x))), repr(float(np.mean(x)))
const NUMPY: [number, number, number][] = [
  [100, 17835415.241681024, 178354.15241681025],
  [10_000, 1668608977.0499458, 166860.8977049946],
  [30_000, 4999473078.851131, 166649.10262837104],
];

function series(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (((i * 7919) % 10007) / 10007) * (i % 3 === 0 ? 1e6 : 1e-3);
  return x;
}

describe("numpySum / numpyMean", () => {
  for (const [n, sum, mean] of NUMPY) {
    it(`equal numpy's sum and mean bit for bit (n = ${n})`, () => {
      const x = series(n);
      expect(numpySum(x)).toBe(sum);
      expect(numpyMean(x)).toBe(mean);
    });
  }
  it("differ from a single pairwise sum over all n > 8,192 rows, as numpy does", () => {
    // numpy 1.24.2: x = (((i * 7919) % 10007) - 5003) / 10007, n = 10,000:
    // np.sum(x) = 0.6573398620965122, np.mean(x) = 6.573398620965122e-05; one pairwise sum gives ...5349.
    const x = new Float64Array(10_000);
    for (let i = 0; i < x.length; i++) x[i] = (((i * 7919) % 10007) - 5003) / 10007;
    expect(numpySum(x)).toBe(0.6573398620965122);
    expect(numpyMean(x)).toBe(6.573398620965122e-5);
    expect(pairwiseSum(x)).toBe(0.6573398620965349);
  });
  it("equal a single pairwise sum up to numpy's 8,192-element chunk", () => {
    const x = series(8192);
    expect(numpySum(x)).toBe(pairwiseSum(x));
  });
});

describe("row kernels", () => {
  it("pairwiseRowSum and pairwiseDot follow numpy's blocking for every length", () => {
    const x = series(300);
    const ones = new Float64Array(300).fill(1);
    for (const len of [1, 7, 8, 9, 34, 46, 128, 129, 300]) {
      expect(pairwiseRowSum(x, 0, len)).toBe(pairwiseSum(x, 0, len) + 0);
      expect(pairwiseDot(x, ones, 0, len)).toBe(pairwiseSum(x, 0, len) + 0);
    }
    expect(pairwiseRowSum(x, 5, 40)).toBe(pairwiseSum(x, 5, 40));
  });
});
