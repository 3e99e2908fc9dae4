import { describe, expect, it } from "vitest";
import { auucScore, qiniScore, upliftCurves } from "./uplift-curves.js";

// Hand-computed: rows already in score order.
// Observed: k=1 has no control row (lift undefined, interpolated to 0.5, so gain 0.5 * 1); k=2: lift
// 1 - 0, gain 2, qini 1 - 0 = 1; k=3: gain (2/2 - 0) * 3 = 3, qini 2; k=4: gain 4, qini 2 - 0 * 2/2 = 2.
const observed = { score: [0.9, 0.8, 0.7, 0.6], treatment: [1, 0, 1, 0], outcome: [1, 0, 1, 0] };
// True effect: gain = cumsum(tau) = 2, 3, 3, 2; qini = cumsum(tau) / k * N_t(k) = 2, 1.5, 2, 1.
const withTau = { score: [0.9, 0.8, 0.7, 0.6], treatment: [1, 0, 1, 0], trueEffect: [2, 1, 0, -1] };

describe("CausalML-convention uplift curves", () => {
  it("builds the observed curves with interpolated undefined points", () => {
    const c = upliftCurves(observed);
    expect(Array.from(c.gain)).toEqual([0, 0.5, 2, 3, 4]);
    expect(Array.from(c.qini)).toEqual([0, 0.5, 1, 2, 2]);
  });

  it("scores AUUC and Qini, raw and normalized, as hand-computed", () => {
    expect(auucScore(observed, { normalize: false })).toBeCloseTo(9.5 / 5, 14);
    expect(auucScore(observed)).toBeCloseTo(9.5 / 4 / 5, 14);
    // Qini raw: (5.5 - linspace(0, 2, 5).sum() = 5) / 5.
    expect(qiniScore(observed, { normalize: false })).toBeCloseTo(0.1, 14);
    expect(qiniScore(observed)).toBeCloseTo((2.75 - 2.5) / 5, 14);
  });

  it("uses the true effect when given (CausalML's tau column)", () => {
    const c = upliftCurves(withTau);
    expect(Array.from(c.gain)).toEqual([0, 2, 3, 3, 2]);
    expect(Array.from(c.qini)).toEqual([0, 2, 1.5, 2, 1]);
    expect(auucScore(withTau, { normalize: false })).toBeCloseTo(2, 14);
    expect(auucScore(withTau)).toBeCloseTo(1, 14);
    expect(qiniScore(withTau, { normalize: false })).toBeCloseTo((6.5 - 2.5) / 5, 14);
  });

  it("sorts by score descending and rewards a better ranking", () => {
    const shuffled = { score: [0.6, 0.9, 0.7, 0.8], treatment: [0, 1, 1, 0], outcome: [0, 1, 1, 0] };
    expect(auucScore(shuffled)).toBeCloseTo(auucScore(observed), 14);
    const reversed = { ...observed, score: [0.1, 0.2, 0.3, 0.4] };
    expect(qiniScore(reversed)).toBeLessThan(qiniScore(observed));
  });

  it("rejects mismatched inputs", () => {
    expect(() => upliftCurves({ score: [1, 2], treatment: [1], outcome: [1, 2] })).toThrow(RangeError);
    expect(() => upliftCurves({ score: [1, 2], treatment: [1, 0] })).toThrow(RangeError);
  });
});
