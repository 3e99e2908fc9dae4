import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { numpyMean } from "@cia/core/parity";
import { snips } from "./snips.js";
import { randomBandit, tinyInputs } from "./test-helpers/tiny.js";

// Hand computation for tinyInputs (K = 2, n = 4; see test-helpers/tiny.ts):
//   w        = [0.2/0.5, 0.5/0.5, 0/0.25, 0.6/0.75] = [0.4, 1, 0, 0.8]
//   IPS      = mean(w r) = (0.4 + 0 + 0 + 2.4) / 4 = 0.7
//   SNIPS    = 0.7 / mean(w) = 0.7 / 0.55
//   DM terms = [0.2*1 + 0.8*2, 0.5*0.5 + 0.5*1, 1*1 + 0*1.5, 0.6*2 + 0.4*3] = [1.8, 0.75, 1, 2.4]
//   DR terms = DM + w (r - q(a)) = [1.8, 0.75 - 1, 1, 2.4 + 0.8] ; DR = 5.75 / 4
//   SNDR     = (5.95 + (-1 + 0.8) / 0.55) / 4
describe("snips", () => {
  it("hand-computed example", () => {
    expect(snips(tinyInputs()).estimate).toBeCloseTo(0.7 / 0.55, 14);
  });
  it("is sum(w r) / sum(w) up to rounding", () => {
    const b = randomBandit(500, 4, 12);
    let swr = 0;
    let sw = 0;
    for (let i = 0; i < 500; i++) {
      const w = b.target[i * 4 + b.action[i]!]! / b.propensity[i]!;
      swr += w * b.reward[i]!;
      sw += w;
    }
    expect(snips(b).estimate).toBeCloseTo(swr / sw, 12);
  });
  it("SNIPS of the logging policy equals the on-policy mean (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, k, seed) => {
          const b = randomBandit(n, k, seed);
          expect(snips({ ...b, target: b.logging }).estimate).toBe(numpyMean(b.reward));
        },
      ),
      { numRuns: 100 },
    );
  });
});
