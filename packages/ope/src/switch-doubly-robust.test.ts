import { describe, expect, it } from "vitest";
import { directMethod } from "./direct-method.js";
import { doublyRobust } from "./doubly-robust.js";
import { switchDoublyRobust } from "./switch-doubly-robust.js";
import { randomBandit, tinyInputs } from "./test-helpers/tiny.js";

// Hand computation for tinyInputs (K = 2, n = 4; see test-helpers/tiny.ts):
//   w        = [0.2/0.5, 0.5/0.5, 0/0.25, 0.6/0.75] = [0.4, 1, 0, 0.8]
//   IPS      = mean(w r) = (0.4 + 0 + 0 + 2.4) / 4 = 0.7
//   SNIPS    = 0.7 / mean(w) = 0.7 / 0.55
//   DM terms = [0.2*1 + 0.8*2, 0.5*0.5 + 0.5*1, 1*1 + 0*1.5, 0.6*2 + 0.4*3] = [1.8, 0.75, 1, 2.4]
//   DR terms = DM + w (r - q(a)) = [1.8, 0.75 - 1, 1, 2.4 + 0.8] ; DR = 5.75 / 4
//   SNDR     = (5.95 + (-1 + 0.8) / 0.55) / 4
describe("switchDoublyRobust", () => {
  it("keeps the correction only where w <= tau (hand-computed)", () => {
    const inputs = tinyInputs();
    expect(switchDoublyRobust(inputs, { tau: 0.5 }).estimate).toBeCloseTo(1.4875, 14); // rows 1 and 3 switched to DM
    expect(switchDoublyRobust(inputs, { tau: 0.9 }).estimate).toBeCloseTo(6.75 / 4, 14); // row 3 corrected
    expect(switchDoublyRobust(inputs, { tau: 1 }).estimate).toBeCloseTo(1.4375, 14);
    expect(() => switchDoublyRobust(inputs, { tau: -1 })).toThrow(RangeError);
  });
  it("tau -> Infinity is DR and tau = 0 is DM, bit for bit", () => {
    const b = randomBandit(500, 4, 3);
    const inputs = { ...b, qHat: b.mu };
    expect(switchDoublyRobust(inputs).estimate).toBe(doublyRobust(inputs).estimate);
    expect(switchDoublyRobust(inputs, { tau: 1e12 }).estimate).toBe(doublyRobust(inputs).estimate);
    expect(switchDoublyRobust(inputs, { tau: 0 }).estimate).toBe(directMethod(inputs).estimate);
  });
});
