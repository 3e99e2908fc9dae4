import { describe, expect, it } from "vitest";
import { numpyKFoldTestFolds } from "./numpy-kfold.js";
import { numpyPermutation } from "./numpy-legacy-random.js";

// Expected values from numpy 1.x / sklearn 1.2:
// r = np.random.RandomState(0); a = np.arange(n); r.shuffle(a)
// [te for _, te in KFold(3, shuffle=True, random_state=0).split(np.zeros(n))]
describe("numpyKFoldTestFolds", () => {
  it("reproduces RandomState(seed).shuffle(arange(n))", () => {
    expect(Array.from(numpyPermutation(10, 0))).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    const p = numpyPermutation(20000, 0);
    expect(Array.from(p.slice(0, 5))).toEqual([19134, 4981, 16643, 19117, 5306]);
    expect(Array.from(p.slice(-3))).toEqual([9845, 10799, 2732]);
    expect(Array.from(numpyPermutation(1000, 0).slice(0, 5))).toEqual([993, 859, 298, 553, 672]);
    expect(Array.from(numpyPermutation(20000, 12345).slice(0, 5))).toEqual([2923, 19309, 3721, 10774, 2031]);
  });

  it("cuts sklearn's sorted test folds, the first n % k one larger", () => {
    expect(numpyKFoldTestFolds(10, 3, 0).map((f) => Array.from(f))).toEqual([
      [2, 4, 8, 9],
      [1, 6, 7],
      [0, 3, 5],
    ]);
    // sum over j of (j + 1) * fold[j] per fold, as computed in python
    const weighted = (n: number) =>
      numpyKFoldTestFolds(n, 3, 0).map((f) => f.reduce((s, v, j) => s + v * (j + 1), 0));
    expect(numpyKFoldTestFolds(20000, 3, 0).map((f) => f.length)).toEqual([6667, 6667, 6666]);
    expect(weighted(20000)).toEqual([297825694249, 295717348615, 295393338550]);
    expect(weighted(1000)).toEqual([38235924, 36300224, 36704878]);
    expect(weighted(747)).toEqual([15201439, 15747485, 15432983]);
    expect(() => numpyKFoldTestFolds(2, 3, 0)).toThrow(RangeError);
  });
});
