import { describe, expect, it } from "vitest";
import { assignProgram } from "./assign-program.js";
import { countActions, expectedActionCounts, sampleRatioMismatch } from "./sample-ratio-mismatch.js";
import { uniformDesign } from "./uniform-design.js";

const ids = (n: number, prefix = "u") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("sampleRatioMismatch", () => {
  it("computes Pearson's statistic and its p-value", () => {
    // 5120 vs 4880 on a 50/50 design: chi2 = 2 * 120^2 / 5000 = 5.76 on 1 df; scipy chi2.sf(5.76, 1) = 0.016395071...
    const r = sampleRatioMismatch({ observed: [5120, 4880], shares: [0.5, 0.5] });
    expect(r.chiSquare).toBeCloseTo(5.76, 12);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.016395071, 8);
    expect(r.mismatch).toBe(false);
    expect(
      sampleRatioMismatch({ observed: [5120, 4880], shares: [0.5, 0.5], threshold: 0.05 }).mismatch,
    ).toBe(true);
    expect(Array.from(r.residuals).map((v) => +v.toFixed(4))).toEqual([1.6971, -1.6971]);
  });

  it("passes a correct hash split and catches a deliberately broken one", () => {
    const design = uniformDesign({ actions: ["control", "a", "b"] });
    const unitIds = ids(30_000);
    const asg = assignProgram({ program: "p", salt: "srm", design, unitIds });
    const expected = expectedActionCounts(asg.probabilities, 3);
    const ok = sampleRatioMismatch({ observed: countActions(asg.action, 3), expected });
    expect(ok.mismatch).toBe(false);
    // Broken: arm "b" loses 3% of its units in logging (e.g. a crash on its render path).
    const broken = Int32Array.from(asg.action);
    let dropped = 0;
    for (let i = 0; i < broken.length; i++) if (broken[i] === 2 && dropped++ % 33 === 0) broken[i] = -1;
    const bad = sampleRatioMismatch({
      observed: countActions(broken, 3),
      expected: expectedActionCounts(
        asg.probabilities,
        3,
        broken.map((a) => (a >= 0 ? 1 : 0)),
      ),
    });
    expect(bad.mismatch).toBe(true);
    expect(bad.pValue).toBeLessThan(1e-4);
    expect(bad.residuals[2]).toBeLessThan(-3);
    // Broken the other way: the design says 50/25/25 but units were split uniformly.
    const wrong = sampleRatioMismatch({ observed: countActions(asg.action, 3), shares: [0.5, 0.25, 0.25] });
    expect(wrong.mismatch).toBe(true);
  });

  it("false alarms at about its nominal rate on correct splits", () => {
    const design = uniformDesign({ actions: ["control", "a", "b", "c"] });
    let alarms = 0;
    const reps = 200;
    for (let r = 0; r < reps; r++) {
      const asg = assignProgram({ program: "p", salt: `salt-${r}`, design, unitIds: ids(400) });
      if (
        sampleRatioMismatch({ observed: countActions(asg.action, 4), shares: [1, 1, 1, 1], threshold: 0.05 })
          .mismatch
      )
        alarms++;
    }
    // Binomial(200, 0.05): mean 10, sd 3.1.
    expect(alarms).toBeGreaterThanOrEqual(2);
    expect(alarms).toBeLessThanOrEqual(20);
  });

  it("flags units in an arm the design never assigns", () => {
    const r = sampleRatioMismatch({ observed: [50, 50, 1], expected: [50, 51, 0] });
    expect(r.mismatch).toBe(true);
    expect(r.pValue).toBe(0);
    expect(() => sampleRatioMismatch({ observed: [1, 2] })).toThrow(/expected/);
  });
});
