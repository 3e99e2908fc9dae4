import { describe, expect, it } from "vitest";
import { selectPolicy } from "./select-policy.js";

describe("selectPolicy", () => {
  it("recommends the largest lower bound above zero, not the largest point estimate", () => {
    const s = selectPolicy("heuristic", [
      { name: "bold", difference: { estimate: 0.9, lower: 0.01, upper: 1.8 } },
      { name: "steady", difference: { estimate: 0.5, lower: 0.2, upper: 0.8 } },
    ]);
    expect(s.recommended).toBe("steady");
    expect(s.fallback).toBe(false);
    expect(s.ranking.map((r) => r.name)).toEqual(["steady", "bold"]);
  });

  it("falls back to the baseline when no candidate beats it with confidence", () => {
    const s = selectPolicy("heuristic", [
      { name: "optimizer", difference: { estimate: 0.3, lower: -0.1, upper: 0.7 } },
    ]);
    expect(s.recommended).toBe("heuristic");
    expect(s.fallback).toBe(true);
    expect(s.reason).toMatch(/keep heuristic/);
  });

  it("skips ineligible candidates and rejects duplicate names and broken intervals", () => {
    const s = selectPolicy("base", [
      {
        name: "a",
        difference: { estimate: 1, lower: 0.5, upper: 1.5 },
        eligible: false,
        reason: "overspends",
      },
      { name: "b", difference: { estimate: 0.4, lower: 0.1, upper: 0.7 } },
    ]);
    expect(s.recommended).toBe("b");
    expect(() =>
      selectPolicy("base", [{ name: "base", difference: { estimate: 0, lower: 0, upper: 0 } }]),
    ).toThrow(/twice/);
    expect(() =>
      selectPolicy("base", [{ name: "x", difference: { estimate: 0, lower: 1, upper: 0 } }]),
    ).toThrow(/ordered/);
  });
});
