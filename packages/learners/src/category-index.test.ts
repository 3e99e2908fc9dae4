import { describe, expect, it } from "vitest";
import { categoryIndex } from "./category-index.js";

describe("categoryIndex", () => {
  it("finds each category's bin and rejects unseen values and NaN", () => {
    const cats = Float64Array.of(-2, 0, 1, 4, 9);
    cats.forEach((v, k) => {
      expect(categoryIndex(cats, v)).toBe(k);
    });
    for (const v of [-3, 0.5, 5, 10, Number.NaN]) expect(categoryIndex(cats, v)).toBe(-1);
    expect(categoryIndex(new Float64Array(0), 1)).toBe(-1);
  });
});
