import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ips } from "./ips.js";
import { numpyMean } from "@cia/core/parity";
import { policyFromActions } from "./policy-matrix.js";
import { randomBandit, tinyInputs } from "./test-helpers/tiny.js";

// Hand computation for tinyInputs (K = 2, n = 4; see test-helpers/tiny.ts):
//   w        = [0.2/0.5, 0.5/0.5, 0/0.25, 0.6/0.75] = [0.4, 1, 0, 0.8]
//   IPS      = mean(w r) = (0.4 + 0 + 0 + 2.4) / 4 = 0.7
//   SNIPS    = 0.7 / mean(w) = 0.7 / 0.55
//   DM terms = [0.2*1 + 0.8*2, 0.5*0.5 + 0.5*1, 1*1 + 0*1.5, 0.6*2 + 0.4*3] = [1.8, 0.75, 1, 2.4]
//   DR terms = DM + w (r - q(a)) = [1.8, 0.75 - 1, 1, 2.4 + 0.8] ; DR = 5.75 / 4
//   SNDR     = (5.95 + (-1 + 0.8) / 0.55) / 4
describe("ips", () => {
  const inputs = tinyInputs();
  it("hand-computed example", () => {
    const r = ips(inputs);
    expect(r.estimator).toBe("ips");
    expect(r.estimate).toBeCloseTo(0.7, 14);
    expect(Array.from(r.rounds)).toEqual([0.4, 0, 0, 3 * (0.6 / 0.75)]);
  });
  it("with clipping at 0.5", () => {
    // w clipped = [0.4, 0.5, 0, 0.5] -> (0.4 + 0 + 0 + 1.5) / 4
    expect(ips(inputs, { clip: 0.5 }).estimate).toBeCloseTo(0.475, 14);
    // clipping above the largest weight changes nothing
    expect(ips(inputs, { clip: 1 }).estimate).toBe(ips(inputs).estimate);
  });
  it("clipping at Infinity is no clipping; clipping at 0 gives 0", () => {
    const b = randomBandit(300, 3, 6);
    expect(ips(b, { clip: Number.POSITIVE_INFINITY }).estimate).toBe(ips(b).estimate);
    expect(ips(b, { clip: 0 }).estimate).toBe(0);
    expect(() => ips(b, { clip: -1 })).toThrow(RangeError);
  });
  it("a deterministic target: IPS averages r / p over the matching rounds", () => {
    const b = randomBandit(400, 3, 8);
    const assignment = new Int32Array(400).map((_, i) => i % 3);
    const target = policyFromActions(assignment, 3);
    let s = 0;
    for (let i = 0; i < 400; i++) if (b.action[i] === assignment[i]) s += b.reward[i]! / b.propensity[i]!;
    expect(ips({ ...b, target }).estimate).toBeCloseTo(s / 400, 12);
  });
  it("IPS of the logging policy equals the on-policy mean (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, k, seed) => {
          const b = randomBandit(n, k, seed);
          // w_i = pi_b(a_i) / pi_b(a_i) = 1 exactly, so IPS equals mean(r) to the bit.
          expect(ips({ ...b, target: b.logging }).estimate).toBe(numpyMean(b.reward));
        },
      ),
      { numRuns: 200 },
    );
  });
});
