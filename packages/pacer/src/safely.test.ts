import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { safely } from "./safely.js";

describe("safely", () => {
  it("returns the result under its key, a CiaError as data, and rethrows anything else", () => {
    expect(safely("budget", () => 3)).toEqual({ success: true, budget: 3 });
    const error = new CiaError("invalid_input", "bad");
    expect(
      safely("budget", () => {
        throw error;
      }),
    ).toEqual({ success: false, error });
    expect(() =>
      safely("budget", () => {
        throw new TypeError("bug");
      }),
    ).toThrow(TypeError);
  });
});
