import { describe, expect, it } from "vitest";
import { pandasDescendingOrder } from "./pandas-sort-order.js";

describe("pandasDescendingOrder", () => {
  it("reproduces pandas sort_values(ascending=False) tie order (fixture from pandas 1.5.3 / numpy 1.24)", () => {
    const v = [
      0, 0, 0, 0, 1, 0.5, 1, 0.5, 0.5, 1, 1, 0.5, 0.5, 0.5, 1, 0, 1, 1, 0, 0.5, 1, 0.5, 0, 1, 1, 1, 0, 0, 1,
      0, 0.5, 0, 0, 0.5, 0.5, 0.5, 0, 0, 0, 0,
    ];
    const pandas = [
      20, 9, 25, 24, 23, 17, 16, 10, 14, 28, 4, 6, 35, 33, 21, 34, 7, 8, 5, 30, 13, 12, 11, 19, 36, 37, 38,
      32, 31, 0, 29, 27, 26, 22, 1, 18, 15, 3, 2, 39,
    ];
    expect(Array.from(pandasDescendingOrder(v))).toEqual(pandas);
    expect(Array.from(pandasDescendingOrder([1, 3, 3, 2]))).toEqual([1, 2, 3, 0]);
  });

  it("sorts descending for any input", () => {
    const v = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 97) / 7);
    const o = pandasDescendingOrder(v);
    for (let j = 1; j < o.length; j++) expect(v[o[j - 1]!]!).toBeGreaterThanOrEqual(v[o[j]!]!);
    expect(new Set(o).size).toBe(500);
  });
});
