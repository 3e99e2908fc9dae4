import { describe, expect, it } from "vitest";
import { numpyPermutation, sklearnBinSubsample } from "./numpy-legacy-random.js";

// sklearn 1.2.1 / numpy 1.24.2 reference, `subsample_1m_seed0` of
// packages/learners/test/fixtures/binning-reference.json (make-binning-fixture.py there):
//   rs = np.random.RandomState(np.random.RandomState(0).randint(np.iinfo(np.uint32).max, dtype="u8"))
//   sub = rs.choice(1_000_000, 200_000, replace=False); sub[:10], sub[-10:], int(sub.sum())
const ref = {
  subsample_1m_seed0: {
    first: [261610, 334955, 833821, 867417, 63711, 646494, 819047, 965001, 5677, 642489],
    last: [541597, 430029, 326478, 381754, 74378, 22363, 686682, 85710, 650164, 486512],
    sum: 100084622651,
  },
};

describe("sklearnBinSubsample", () => {
  it("draws the same 200,000-row subsample as sklearn with random_state=0", () => {
    const s = sklearnBinSubsample(1_000_000, 200_000, 0);
    const want = ref.subsample_1m_seed0;
    expect(Array.from(s.subarray(0, 10))).toEqual(want.first);
    expect(Array.from(s.subarray(s.length - 10))).toEqual(want.last);
    let sum = 0;
    for (const v of s) sum += v;
    expect(sum).toBe(want.sum);
  });

  it("is a sample without replacement", () => {
    const s = sklearnBinSubsample(1000, 500, 7);
    expect(new Set(s).size).toBe(500);
    expect(s.every((v) => v >= 0 && v < 1000)).toBe(true);
    expect(() => sklearnBinSubsample(10, 5, -1)).toThrow(RangeError);
  });
});

describe("numpyPermutation", () => {
  it("is np.random.RandomState(seed).permutation(n)", () => {
    // python3 -c "import numpy as np; print(np.random.RandomState(0).permutation(10))"
    expect(Array.from(numpyPermutation(10, 0))).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    expect(() => numpyPermutation(10, 1.5)).toThrow(RangeError);
  });
});
