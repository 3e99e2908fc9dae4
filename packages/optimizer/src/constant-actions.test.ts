import { describe, expect, it } from "vitest";
import { constantActions } from "./constant-actions.js";

describe("constantActions", () => {
  it("gives every unit the same action", () => {
    expect(Array.from(constantActions(3, 2))).toEqual([2, 2, 2]);
    expect(constantActions(0, 1)).toHaveLength(0);
    expect(() => constantActions(2, -1)).toThrow(/action/);
    expect(() => constantActions(1.5, 0)).toThrow(/nUnits/);
  });
});
