import { describe, expect, it } from "vitest";
import { constantPolicy, policyFromActions } from "./policy-matrix.js";

describe("policy matrices", () => {
  it("one-hot rows from an action per unit", () => {
    expect(Array.from(policyFromActions(Int32Array.of(0, 2, 1), 3))).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(() => policyFromActions([3], 3)).toThrow(RangeError);
    expect(() => policyFromActions([0.5], 3)).toThrow(RangeError);
  });
  it("the same action for everyone", () => {
    expect(Array.from(constantPolicy(2, 3, 0))).toEqual([1, 0, 0, 1, 0, 0]);
    expect(() => constantPolicy(2, 3, 3)).toThrow(RangeError);
  });
});
