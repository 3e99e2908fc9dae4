import { DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { kaplanMeier } from "./kaplan-meier.js";

// Freireich et al. (1963), Blood 21:699, remission times in weeks of the 6-MP arm (21 patients,
// 9 relapses, "+" = censored), as tabulated by Gehan (1965) and in MASS::gehan.
const sixMpTime = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35];
const sixMpEvent = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0];

describe("kaplanMeier", () => {
  it("reproduces the textbook estimate for the Freireich 6-MP leukemia data", () => {
    const km = kaplanMeier(sixMpTime, sixMpEvent);
    // Expected values: Kleinbaum and Klein, "Survival Analysis: A Self-Learning Text" (3rd ed.,
    // 2012), chapter 2, KM table of the 6-MP group; standard errors as printed by R's
    // survival::survfit (Greenwood) on the same data.
    expect(Array.from(km.times)).toEqual([6, 7, 10, 13, 16, 22, 23]);
    expect(Array.from(km.atRisk)).toEqual([21, 17, 15, 12, 11, 7, 6]);
    expect(Array.from(km.events)).toEqual([3, 1, 1, 1, 1, 1, 1]);
    const s = [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482];
    const se = [0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346];
    for (let j = 0; j < 7; j++) {
      expect(km.survival[j]).toBeCloseTo(s[j]!, 4);
      expect(km.stdErr[j]).toBeCloseTo(se[j]!, 4);
    }
    // And exactly, as the product of (1 - d/n).
    expect(km.survival[6]).toBeCloseTo(
      (18 / 21) * (16 / 17) * (14 / 15) * (11 / 12) * (10 / 11) * (6 / 7) * (5 / 6),
      14,
    );
    expect(km.totalEvents).toBe(9);
    expect(km.maxTime).toBe(35);
  });

  it("treats integer weights as repeated observations", () => {
    const t = [1, 2, 2, 3, 5, 8];
    const e = [1, 0, 1, 1, 0, 1];
    const w = [2, 1, 3, 1, 2, 1];
    const rt: number[] = [];
    const re: number[] = [];
    t.forEach((ti, i) => {
      for (let r = 0; r < w[i]!; r++) {
        rt.push(ti);
        re.push(e[i]!);
      }
    });
    const a = kaplanMeier(t, e, w);
    const b = kaplanMeier(rt, re);
    expect(Array.from(a.times)).toEqual(Array.from(b.times));
    for (let j = 0; j < a.times.length; j++) {
      expect(a.survival[j]).toBeCloseTo(b.survival[j]!, 14);
      expect(a.stdErr[j]).toBeCloseTo(b.stdErr[j]!, 14);
    }
  });

  it("drops to 0 when everyone fails and handles empty input", () => {
    const km = kaplanMeier([1, 2], [1, 1]);
    expect(Array.from(km.survival)).toEqual([0.5, 0]);
    const empty = kaplanMeier([], []);
    expect(empty.times.length).toBe(0);
    expect(empty.totalEvents).toBe(0);
  });

  it("rejects bad data with data issues", () => {
    expect(() => kaplanMeier([1, Number.NaN], [1, 0])).toThrow(DataValidationError);
    expect(() => kaplanMeier([1, -2], [1, 0])).toThrow(/time must be/);
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrow(/event must be 0 or 1/);
    expect(() => kaplanMeier([1, 2], [1])).toThrow(/length/);
    expect(() => kaplanMeier([1, 2], [1, 0], [1, Number.POSITIVE_INFINITY])).toThrow(/weight/);
  });
});
