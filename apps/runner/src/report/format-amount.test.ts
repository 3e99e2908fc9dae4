import { describe, expect, it } from "vitest";
import { formatAmount } from "./format-amount.js";

describe("formatAmount", () => {
  it("keeps 3 significant digits, separators, and puts currency symbols first", () => {
    expect(formatAmount(1234.5, "$")).toBe("$1,230");
    expect(formatAmount(27_312, "$")).toBe("$27,300");
    expect(formatAmount(1.9, "$")).toBe("$1.90");
    expect(formatAmount(-0.01234)).toBe("-0.0123");
    expect(formatAmount(0.5, "pts")).toBe("0.500 pts");
    expect(formatAmount(0)).toBe("0.00");
    expect(formatAmount(Number.NaN, "$")).toBe("n/a");
  });
});
