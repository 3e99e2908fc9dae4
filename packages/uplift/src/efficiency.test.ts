import { describe, expect, it } from "vitest";
import { cpi, cpiv } from "./efficiency.js";

describe("CPIV and CPI", () => {
  it("are the two ratios away from zero", () => {
    expect(cpiv(3, 2)).toBe(1.5);
    expect(cpi(3, 2)).toBeCloseTo(2 / 3, 15);
  });
  it("define the behaviour near zero so rankings stay total", () => {
    expect(cpiv(1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(cpiv(-1, 1e-12)).toBe(Number.NEGATIVE_INFINITY);
    expect(cpiv(0, 0)).toBe(0);
    expect(cpiv(1, -2)).toBe(Number.POSITIVE_INFINITY);
    expect(cpi(0, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(cpi(-1, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(cpi(2, -1)).toBe(-0.5);
    expect(cpiv(2, 0.5, 1)).toBe(Number.POSITIVE_INFINITY);
  });
});
