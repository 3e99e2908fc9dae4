import { describe, expect, it } from "vitest";
import { doublyRobust } from "./doubly-robust.js";
import { ips } from "./ips.js";
import { drawLog, noisyModel, randomBandit, randomProblem, tinyInputs } from "./test-helpers/tiny.js";

// Hand computation for tinyInputs (K = 2, n = 4; see test-helpers/tiny.ts):
//   w        = [0.2/0.5, 0.5/0.5, 0/0.25, 0.6/0.75] = [0.4, 1, 0, 0.8]
//   IPS      = mean(w r) = (0.4 + 0 + 0 + 2.4) / 4 = 0.7
//   SNIPS    = 0.7 / mean(w) = 0.7 / 0.55
//   DM terms = [0.2*1 + 0.8*2, 0.5*0.5 + 0.5*1, 1*1 + 0*1.5, 0.6*2 + 0.4*3] = [1.8, 0.75, 1, 2.4]
//   DR terms = DM + w (r - q(a)) = [1.8, 0.75 - 1, 1, 2.4 + 0.8] ; DR = 5.75 / 4
//   SNDR     = (5.95 + (-1 + 0.8) / 0.55) / 4
describe("doublyRobust", () => {
  const inputs = tinyInputs();
  it("hand-computed example, with and without clipping", () => {
    expect(doublyRobust(inputs).estimate).toBeCloseTo(1.4375, 14);
    // clip 0.9: w = [0.4, 0.9, 0, 0.8] -> terms [1.8, 0.75 - 0.9, 1, 3.2]
    expect(doublyRobust(inputs, { clip: 0.9 }).estimate).toBeCloseTo(5.85 / 4, 14);
  });
  it("with a zero reward model is IPS, bit for bit", () => {
    const b = randomBandit(300, 3, 5);
    const zero = { ...b, qHat: new Float64Array(b.mu.length) };
    expect(doublyRobust(zero).estimate).toBe(ips(zero).estimate);
  });
  it("IPS and DR are unbiased over 300 logs of one problem; DR has the smaller variance", () => {
    const problem = randomProblem(200, 3, 1);
    const reps = 300;
    const errIps = new Float64Array(reps);
    const errDr = new Float64Array(reps);
    for (let r = 0; r < reps; r++) {
      const logged = drawLog(problem, 1000 + r);
      errIps[r] = ips(logged).estimate - problem.truth;
      errDr[r] = doublyRobust({ ...logged, qHat: noisyModel(problem.mu, 0.3, r) }).estimate - problem.truth;
    }
    const stats = (e: Float64Array) => {
      const m = e.reduce((a, b) => a + b, 0) / reps;
      return { m, sd: Math.sqrt(e.reduce((a, b) => a + (b - m) ** 2, 0) / (reps - 1)) };
    };
    const si = stats(errIps);
    const sd = stats(errDr);
    expect(Math.abs(si.m)).toBeLessThan((3 * si.sd) / Math.sqrt(reps));
    expect(Math.abs(sd.m)).toBeLessThan((3 * sd.sd) / Math.sqrt(reps));
    expect(sd.sd).toBeLessThan(si.sd);
  });
});
