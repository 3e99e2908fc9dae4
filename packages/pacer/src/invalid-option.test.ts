import { describe, expect, it } from "vitest";
import { invalidOption } from "./invalid-option.js";

describe("invalidOption", () => {
  it("names the option, the rule and the value", () => {
    const e = invalidOption("eta", -1, "finite and >= 0");
    expect(e.code).toBe("invalid_option");
    expect(e.message).toBe("eta must be finite and >= 0, got -1");
    expect(e.details).toEqual({ eta: -1 });
  });
});
