import { describe, expect, it } from "vitest";
import { gatherRows } from "./gather-rows.js";

describe("gatherRows", () => {
  it("copies the named rows of a row-major matrix in order, repeats included", () => {
    const m = Float64Array.of(1, 2, 3, 4, 5, 6);
    expect(Array.from(gatherRows(m, Int32Array.of(2, 0, 2), 2))).toEqual([5, 6, 1, 2, 5, 6]);
    expect(gatherRows(m, [], 2).length).toBe(0);
  });
});
