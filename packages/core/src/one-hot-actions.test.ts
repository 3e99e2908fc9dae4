import { describe, expect, it } from "vitest";
import type { ActionMatrix } from "./action-matrix.js";
import { oneHotActions } from "./one-hot-actions.js";

describe("oneHotActions", () => {
  it("puts probability 1 on each unit's action, row-major n x K", () => {
    const m: ActionMatrix = oneHotActions(Int32Array.of(0, 2, 1), 3);
    expect(Array.from(m)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(oneHotActions([], 2)).toHaveLength(0);
  });
  it("rejects a bad k and out-of-range or fractional actions", () => {
    expect(() => oneHotActions([0], 0)).toThrow(new RangeError("k must be a positive integer, got 0"));
    expect(() => oneHotActions([0], 1.5)).toThrow(RangeError);
    expect(() => oneHotActions([0, 3], 3)).toThrow(new RangeError("action 3 at row 1 is outside [0, 3)"));
    expect(() => oneHotActions([-1], 3)).toThrow(new RangeError("action -1 at row 0 is outside [0, 3)"));
    expect(() => oneHotActions([0.5], 3)).toThrow(RangeError);
  });
});
