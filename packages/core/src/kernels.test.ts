import { describe, expect, it } from "vitest";
import { argsort, ranks } from "./argsort.js";
import { cumsum } from "./cumsum.js";
import { denseMatrix, matrixFromRows } from "./dense-matrix.js";
import { dot } from "./dot.js";
import { pairwiseSum, sum } from "./sum.js";
import { weightedQuantile } from "./weighted-quantile.js";
import { weightedMean, weightedVariance } from "./weighted-stats.js";

describe("summation", () => {
  it("compensates cancellation", () => {
    expect(sum([1e100, 1, -1e100])).toBe(1);
    expect(sum(new Float64Array(10).fill(0.1))).toBe(1);
    expect(sum([1, 2, 3, 4], 1, 2)).toBe(5);
    // 0.1 * 1e6 exactly rounded; a naive loop is off by ~1e-6.
    expect(sum(new Float64Array(1_000_000).fill(0.1))).toBe(100000);
  });
  it("reproduces numpy's pairwise sum bit for bit", () => {
    // x = [((i*2*0.37) % 1.7) * 10**((i % 7) - 3) for i in 1..1000]; numpy 1.24.2:
    // np.sum(x) = 136275.3195400008, while a naive loop gives ...07 and math.fsum ...078.
    const x = Float64Array.from(
      { length: 1000 },
      (_, k) => (((k + 1) * 2 * 0.37) % 1.7) * 10 ** (((k + 1) % 7) - 3),
    );
    expect(pairwiseSum(x)).toBe(136275.3195400008);
    expect(sum(x)).toBe(136275.31954000078);
    expect(pairwiseSum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
    expect(Object.is(pairwiseSum([]), -0)).toBe(true);
  });
  it("computes dot products and cumulative sums", () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(() => dot([1], [1, 2])).toThrow(RangeError);
    expect([...cumsum([1, 2, 3, -6])]).toEqual([1, 3, 6, 0]);
  });
});

describe("weighted statistics", () => {
  it("weighted mean and variance equal duplicated rows", () => {
    expect(weightedMean([1, 2, 3], [1, 1, 2])).toBe(2.25);
    expect(weightedMean([1, 2, 3, 3])).toBe(2.25);
    expect(weightedVariance([1, 2, 3], [1, 1, 2])).toBeCloseTo(weightedVariance([1, 2, 3, 3]), 15);
    expect(weightedVariance([1, 2, 3, 4])).toBe(1.25);
    expect(weightedVariance([1, 2, 3, 4], undefined, { ddof: 1 })).toBeCloseTo(5 / 3, 15);
  });
  it("unweighted quantiles equal numpy.quantile (linear)", () => {
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0, .1, .25, .5, .9, 1])
    //   -> [1.0, 1.0, 1.75, 3.5, 6.9, 9.0]
    const q = weightedQuantile([3, 1, 4, 1, 5, 9, 2, 6], [0, 0.1, 0.25, 0.5, 0.9, 1]);
    for (const [i, v] of [1, 1, 1.75, 3.5, 6.9, 9].entries()) expect(q[i]).toBeCloseTo(v, 12);
    expect(() => weightedQuantile([1], [1.5])).toThrow(RangeError);
  });
  it("weighted quantiles follow the mid-mass convention", () => {
    // positions (C - w/2)/W: 3/8 and 7/8 -> the median interpolates 1/8 of the way from 1 to 2.
    expect(weightedQuantile([1, 2], [0.5], [3, 1])[0]).toBeCloseTo(1.25, 15);
    expect(weightedQuantile([1, 2, 3], [0, 1], [1, 1, 1])).toEqual(Float64Array.from([1, 3]));
    // equal weights give the same median as unweighted data for odd n
    expect(weightedQuantile([5, 1, 3], [0.5], [2, 2, 2])[0]).toBe(3);
  });
});

describe("argsort and ranks", () => {
  it("is stable and handles descending order and NaN", () => {
    expect([...argsort([2, 1, 2, 1])]).toEqual([1, 3, 0, 2]);
    expect([...argsort([2, 1, 2, 1], { descending: true })]).toEqual([0, 2, 1, 3]);
    expect([...argsort([Number.NaN, 1, 0])]).toEqual([2, 1, 0]);
  });
  it("averages tied ranks (scipy.stats.rankdata)", () => {
    expect([...ranks([10, 20, 20, 5])]).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe("dense matrix", () => {
  it("views rows without copying and selects rows", () => {
    const m = matrixFromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(m.get(2, 1)).toBe(6);
    m.row(0)[1] = 9;
    expect(m.get(0, 1)).toBe(9);
    expect([...m.column(0)]).toEqual([1, 3, 5]);
    expect([...m.selectRows([2, 0]).data]).toEqual([5, 6, 1, 9]);
    expect(() => denseMatrix(2, 2, new Float64Array(3))).toThrow(RangeError);
    expect(() => matrixFromRows([[1], [1, 2]])).toThrow(RangeError);
  });
});

describe("radix argsort", () => {
  it("agrees with a stable comparator sort on large inputs with ties, signs, zeros, NaN and infinities", async () => {
    const { createRng } = await import("./rng.js");
    const r = createRng(31);
    const n = 5000;
    const specials = [
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e-310,
      -1e-310,
      1.5,
    ];
    const x = Float64Array.from({ length: n }, (_, i) =>
      i % 7 === 0 ? specials[r.int(specials.length)]! : r.int(3) === 0 ? r.int(10) - 5 : r.normal() * 1e3,
    );
    for (const descending of [false, true]) {
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        const va = x[a]!;
        const vb = x[b]!;
        const na = Number.isNaN(va);
        const nb = Number.isNaN(vb);
        if (na || nb) return na && nb ? a - b : na ? 1 : -1;
        if (va !== vb) return (descending ? -1 : 1) * (va < vb ? -1 : 1);
        return a - b;
      });
      expect([...argsort(x, { descending })]).toEqual(expected);
    }
  });
});
