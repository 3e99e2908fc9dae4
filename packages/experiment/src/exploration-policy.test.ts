import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { chiSquareSf } from "./chi-square.js";
import { drawExploredAction, explorationDistribution } from "./exploration-policy.js";

const sum = (p: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i]!;
  return s;
};

describe("explorationDistribution", () => {
  it("mixes the recommendation with uniform exploration over the eligible actions; sums to 1", () => {
    const p = explorationDistribution(2, [1, 1, 1, 0], { epsilon: 0.3, salt: "s" });
    expect(Array.from(p)).toEqual([0.1, 0.1, 0.8, 0].map((x) => expect.closeTo(x, 12)));
    expect(sum(p)).toBeCloseTo(1, 12);
    for (const [rec, elig, eps] of [
      [0, [1, 1, 1, 1, 1], 0.05],
      [3, [1, 0, 1, 1, 0], 0.5],
      [1, [1, 1], 1],
    ] as const) {
      expect(sum(explorationDistribution(rec, elig, { epsilon: eps, salt: "s" }))).toBeCloseTo(1, 12);
    }
  });

  it("respects the floor: it raises the exploration share when epsilon / m is below it", () => {
    const p = explorationDistribution(1, [1, 1, 1, 1], { epsilon: 0.04, floor: 0.05, salt: "s" });
    for (let a = 0; a < 4; a++) expect(p[a]!).toBeGreaterThanOrEqual(0.05 - 1e-15);
    expect(p[0]).toBeCloseTo(0.05, 12);
    expect(p[1]).toBeCloseTo(0.85, 12);
    // The floor binds only where needed: 0.2 / 4 = 0.05 already meets it.
    const q = explorationDistribution(1, [1, 1, 1, 1], { epsilon: 0.2, floor: 0.01, salt: "s" });
    expect(q[0]).toBeCloseTo(0.05, 12);
    // A floor alone (epsilon 0) still explores.
    const r = explorationDistribution(0, [1, 1, 0], { epsilon: 0, floor: 0.1, salt: "s" });
    expect(Array.from(r)).toEqual([0.9, 0.1, 0].map((x) => expect.closeTo(x, 12)));
    expect(sum(r)).toBeCloseTo(1, 12);
  });

  it("gives no offer at least controlFloor when an offer is recommended, taken from the offer", () => {
    const p = explorationDistribution(2, [1, 1, 1, 1], { epsilon: 0.04, controlFloor: 0.06, salt: "s" });
    expect(Array.from(p)).toEqual([0.06, 0.01, 0.92, 0.01].map((x) => expect.closeTo(x, 12)));
    expect(sum(p)).toBeCloseTo(1, 12);
    // No shift when no offer is recommended or already has enough.
    const q = explorationDistribution(0, [1, 1, 1, 1], { epsilon: 0.04, controlFloor: 0.06, salt: "s" });
    expect(q[0]).toBeCloseTo(0.97, 12);
    const r = explorationDistribution(1, [1, 1, 1, 1], { epsilon: 0.4, controlFloor: 0.06, salt: "s" });
    expect(r[0]).toBeCloseTo(0.1, 12);
    // The recommendation can give up at most its own share.
    const t = explorationDistribution(1, [1, 1], { epsilon: 0, controlFloor: 1, salt: "s" });
    expect(Array.from(t)).toEqual([1, 0]);
    expect(() => explorationDistribution(1, [1, 1], { epsilon: 0, controlFloor: 1.5, salt: "s" })).toThrow(
      /controlFloor/,
    );
  });

  it("is deterministic at epsilon 0: all mass on the recommended action", () => {
    const p = explorationDistribution(2, [1, 1, 1], { epsilon: 0, salt: "s" });
    expect(Array.from(p)).toEqual([0, 0, 1]);
    for (let i = 0; i < 50; i++)
      expect(drawExploredAction(`u${i}`, "s", p)).toEqual({ action: 2, propensity: 1 });
  });

  it("refuses an ineligible recommendation, epsilon outside [0, 1] and an infeasible floor", () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return CiaError.isInstance(e) ? e.code : "other";
      }
      return undefined;
    };
    expect(code(() => explorationDistribution(1, [1, 0, 1], { epsilon: 0.1, salt: "s" }))).toBe(
      "invalid_action",
    );
    expect(code(() => explorationDistribution(3, [1, 1, 1], { epsilon: 0.1, salt: "s" }))).toBe(
      "invalid_action",
    );
    expect(code(() => explorationDistribution(0, [1, 1], { epsilon: 1.5, salt: "s" }))).toBe(
      "invalid_option",
    );
    expect(code(() => explorationDistribution(0, [1, 1], { epsilon: Number.NaN, salt: "s" }))).toBe(
      "invalid_option",
    );
    expect(code(() => explorationDistribution(0, [1, 1, 1], { epsilon: 0.1, floor: 0.4, salt: "s" }))).toBe(
      "invalid_option",
    );
  });
});

describe("drawExploredAction", () => {
  it("gives the same action for the same unit, salt and probabilities; another salt re-draws", () => {
    const probs = [0.25, 0.25, 0.5];
    let moved = 0;
    for (let i = 0; i < 200; i++) {
      const a = drawExploredAction(`u${i}`, "salt-1", probs);
      expect(drawExploredAction(`u${i}`, "salt-1", probs)).toEqual(a);
      expect(a.propensity).toBe(probs[a.action]);
      if (drawExploredAction(`u${i}`, "salt-2", probs).action !== a.action) moved++;
    }
    // Independent draws disagree with probability 1 - sum p^2 = 0.625: 200 units cannot all agree.
    expect(moved).toBeGreaterThan(80);
  });

  it("matches the probabilities empirically (chi-square, 40k unit ids, fixed salt)", () => {
    const probs = explorationDistribution(1, [1, 1, 1, 0, 1], { epsilon: 0.2, floor: 0.03, salt: "chi" });
    const n = 40_000;
    const counts = new Float64Array(probs.length);
    let minPropensity = 1;
    for (let i = 0; i < n; i++) {
      const d = drawExploredAction(`unit-${i}`, "chi", probs);
      counts[d.action]!++;
      minPropensity = Math.min(minPropensity, d.propensity);
    }
    expect(counts[3]).toBe(0); // ineligible: never drawn
    let x2 = 0;
    let df = -1;
    for (let a = 0; a < probs.length; a++) {
      const expected = n * probs[a]!;
      if (expected === 0) continue;
      x2 += (counts[a]! - expected) ** 2 / expected;
      df++;
    }
    expect(chiSquareSf(x2, df)).toBeGreaterThan(0.001);
    expect(minPropensity).toBeGreaterThanOrEqual(0.05 - 1e-9);
    // And a distribution far from the truth is rejected by the same test (the test has power).
    let wrong = 0;
    const alt = [0.1, 0.7, 0.1, 0, 0.1];
    for (let a = 0; a < alt.length; a++) {
      if (alt[a] === 0) continue;
      wrong += (counts[a]! - n * alt[a]!) ** 2 / (n * alt[a]!);
    }
    expect(chiSquareSf(wrong, df)).toBeLessThan(1e-6);
  });
});
