import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directMethod } from "./direct-method.js";
import { doublyRobust } from "./doubly-robust.js";
import { estimatePolicyValue } from "./estimate-policy-value.js";
import { importanceWeights } from "./importance-weights.js";
import { ips } from "./ips.js";
import { numpyMean } from "./numpy-sum.js";
import { policyFromActions } from "./policy-matrix.js";
import { selfNormalizedDoublyRobust } from "./self-normalized-doubly-robust.js";
import { snips } from "./snips.js";
import { switchDoublyRobust } from "./switch-doubly-robust.js";
import { drawLog, noisyModel, randomBandit, randomProblem, tinyInputs } from "./test-helpers/tiny.js";
import { ESTIMATOR_NAMES } from "./types.js";

// Hand computation for tinyInputs (K = 2, n = 4):
//   w        = [0.2/0.5, 0.5/0.5, 0/0.25, 0.6/0.75] = [0.4, 1, 0, 0.8]
//   IPS      = mean(w r) = (0.4 + 0 + 0 + 2.4) / 4 = 0.7
//   SNIPS    = 0.7 / mean(w) = 0.7 / 0.55
//   DM terms = [0.2*1 + 0.8*2, 0.5*0.5 + 0.5*1, 1*1 + 0*1.5, 0.6*2 + 0.4*3] = [1.8, 0.75, 1, 2.4]
//   DR terms = DM + w (r - q(a)) = [1.8, 0.75 - 1, 1, 2.4 + 0.8] ; DR = 5.75 / 4
//   SNDR     = (5.95 + (-1 + 0.8) / 0.55) / 4
describe("estimators on a hand-computed example", () => {
  const inputs = tinyInputs();
  it("importance weights", () => {
    expect(Array.from(importanceWeights(inputs))).toEqual([0.2 / 0.5, 1, 0, 0.6 / 0.75]);
    expect(Array.from(importanceWeights(inputs, { clip: 0.5 }))).toEqual([0.4, 0.5, 0, 0.5]);
  });
  it("IPS", () => {
    const r = ips(inputs);
    expect(r.estimator).toBe("ips");
    expect(r.estimate).toBeCloseTo(0.7, 14);
    expect(Array.from(r.rounds)).toEqual([0.4, 0, 0, 3 * (0.6 / 0.75)]);
  });
  it("IPS with clipping at 0.5", () => {
    // w clipped = [0.4, 0.5, 0, 0.5] -> (0.4 + 0 + 0 + 1.5) / 4
    expect(ips(inputs, { clip: 0.5 }).estimate).toBeCloseTo(0.475, 14);
    // clipping above the largest weight changes nothing
    expect(ips(inputs, { clip: 1 }).estimate).toBe(ips(inputs).estimate);
  });
  it("SNIPS", () => {
    expect(snips(inputs).estimate).toBeCloseTo(0.7 / 0.55, 14);
  });
  it("DM", () => {
    const r = directMethod(inputs);
    expect(r.estimate).toBeCloseTo(1.4875, 14);
    expect(Array.from(r.rounds).map((x) => Number(x.toFixed(12)))).toEqual([1.8, 0.75, 1, 2.4]);
  });
  it("DR, and DR with clipping", () => {
    expect(doublyRobust(inputs).estimate).toBeCloseTo(1.4375, 14);
    // clip 0.9: w = [0.4, 0.9, 0, 0.8] -> terms [1.8, 0.75 - 0.9, 1, 3.2]
    expect(doublyRobust(inputs, { clip: 0.9 }).estimate).toBeCloseTo(5.85 / 4, 14);
  });
  it("SNDR", () => {
    expect(selfNormalizedDoublyRobust(inputs).estimate).toBeCloseTo((5.95 - 0.2 / 0.55) / 4, 14);
  });
  it("Switch-DR keeps the correction only where w <= tau", () => {
    expect(switchDoublyRobust(inputs, { tau: 0.5 }).estimate).toBeCloseTo(1.4875, 14); // rows 1 and 3 switched to DM
    expect(switchDoublyRobust(inputs, { tau: 0.9 }).estimate).toBeCloseTo(6.75 / 4, 14); // row 3 corrected
    expect(switchDoublyRobust(inputs, { tau: 1 }).estimate).toBeCloseTo(1.4375, 14);
  });
  it("dispatches by name", () => {
    for (const name of ESTIMATOR_NAMES) expect(estimatePolicyValue(name, inputs).estimator).toBe(name);
    expect(estimatePolicyValue("ips", inputs, { clip: 0.5 }).estimate).toBe(
      ips(inputs, { clip: 0.5 }).estimate,
    );
    expect(estimatePolicyValue("switch-dr", inputs, { tau: 0.9 }).estimate).toBe(
      switchDoublyRobust(inputs, { tau: 0.9 }).estimate,
    );
  });
  it("estimate is the numpy mean of the rounds", () => {
    for (const name of ESTIMATOR_NAMES) {
      const r = estimatePolicyValue(name, inputs);
      expect(r.estimate).toBe(numpyMean(r.rounds));
    }
  });
});

describe("limits and identities", () => {
  it("Switch-DR: tau -> Infinity is DR, tau = 0 is DM, bit for bit", () => {
    const b = randomBandit(500, 4, 3);
    const inputs = { ...b, qHat: b.mu };
    expect(switchDoublyRobust(inputs, { tau: Number.POSITIVE_INFINITY }).estimate).toBe(
      doublyRobust(inputs).estimate,
    );
    expect(switchDoublyRobust(inputs, { tau: 1e12 }).estimate).toBe(doublyRobust(inputs).estimate);
    expect(switchDoublyRobust(inputs, { tau: 0 }).estimate).toBe(directMethod(inputs).estimate);
  });
  it("DR with a zero reward model is IPS", () => {
    const b = randomBandit(300, 3, 5);
    const inputs = { ...b, qHat: new Float64Array(b.mu.length) };
    expect(doublyRobust(inputs).estimate).toBe(ips(inputs).estimate);
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
});

describe("IPS of the logging policy equals the on-policy mean (property)", () => {
  it("holds for random logging policies, actions and rewards", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, k, seed) => {
          const b = randomBandit(n, k, seed);
          const onPolicy = { ...b, target: b.logging };
          // w_i = pi_b(a_i) / pi_b(a_i) = 1 exactly, so IPS and SNIPS equal mean(r) to the bit.
          expect(ips(onPolicy).estimate).toBe(numpyMean(b.reward));
          expect(snips(onPolicy).estimate).toBe(numpyMean(b.reward));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("IPS and DR are unbiased on random bandits (tiny generated data)", () => {
  it("mean error over 300 logs of one problem is within 3 standard errors; DR has the smaller variance", () => {
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
