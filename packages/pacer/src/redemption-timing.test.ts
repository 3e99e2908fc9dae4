import { CiaError, createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { RedemptionTiming, fitRedemptionTiming, safeFitRedemptionTiming } from "./redemption-timing.js";

/** Offers assigned uniformly over `spanDays` before the observation time; a share `p` redeems,
 * with lag Exponential(mean) truncated to the horizon. */
function history(seed: number, n: number, spanDays: number, p: number, mean: number, horizon: number) {
  const rng = createRng(seed);
  const age = new Float64Array(n);
  const lag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    age[i] = rng.uniform(0, spanDays);
    if (rng.bernoulli(p) === 1) {
      let l: number;
      do l = rng.exponential(1 / mean);
      while (l > horizon);
      lag[i] = l; // may exceed age: not observed yet, the fit must ignore it
    } else lag[i] = Number.NaN;
  }
  return { ageDays: age, lagDays: lag };
}
const trueF = (d: number, mean: number, h: number) => (1 - Math.exp(-d / mean)) / (1 - Math.exp(-h / mean));

describe("fitRedemptionTiming", () => {
  it("normalizes the defective distribution at the horizon (hand-computed)", () => {
    // Ages 10 >= H = 7: complete follow-up. Lags 1 and 3 redeem; 2 never; one redeemed at 9 > H.
    const t = fitRedemptionTiming(
      { ageDays: [10, 10, 10, 10, 10], lagDays: [1, 3, Number.NaN, Number.NaN, 9] },
      { horizonDays: 7 },
    );
    expect(Array.from(t.knots)).toEqual([1, 3]);
    expect(t.realizedShare(0.5)).toBe(0);
    expect(t.realizedShare(1)).toBeCloseTo(0.5, 14);
    expect(t.realizedShare(6.9)).toBeCloseTo(1, 14);
    expect(t.realizedShare(7)).toBe(1);
    expect(t.eventualShare).toBeCloseTo(2 / 5, 14);
    expect(t.followUpComplete).toBe(true);
    expect(t.redemptions).toBe(2);
  });

  it("handles censoring at each offer's age", () => {
    // Two offers only 2 days old: censored at 2, so they leave the risk set after the lag-1 event.
    // KM: S(1) = 1 - 1/4, S(5) = 0.75 * (1 - 1/1) ... with one at risk at 5 (the age-10 offer).
    const t = fitRedemptionTiming(
      { ageDays: [10, 2, 2, 10], lagDays: [1, Number.NaN, Number.NaN, 5] },
      { horizonDays: 7 },
    );
    // S(1) = 3/4; at 5 the risk set is {offer 4} -> S(5) = 0; F(1) = (1/4) / 1.
    expect(t.realizedShare(1)).toBeCloseTo(0.25, 14);
    expect(t.realizedShare(5)).toBe(1);
    expect(t.eventualShare).toBe(1);
  });

  it("recovers a known lag distribution from staggered, censored data", () => {
    const h = 14;
    const mean = 3;
    const t = fitRedemptionTiming(history(7, 40_000, 60, 0.3, mean, h), { horizonDays: h });
    expect(t.followUpComplete).toBe(true);
    for (const d of [0.5, 1, 2, 3, 5, 7, 10])
      expect(Math.abs(t.realizedShare(d) - trueF(d, mean, h))).toBeLessThan(0.015);
    expect(t.eventualShare).toBeGreaterThan(0.28);
    expect(t.eventualShare).toBeLessThan(0.32);
    // Naive share of realized among those redeemed by now would be biased; the inverse is sane.
    const median = t.ageAtShare(0.5);
    const trueMedian = -mean * Math.log(1 - 0.5 * (1 - Math.exp(-h / mean)));
    expect(Math.abs(median - trueMedian)).toBeLessThan(0.1);
  });

  it("splices a prior tail when follow-up is shorter than the horizon", () => {
    const h = 14;
    const mean = 3;
    const young = history(11, 40_000, 5, 0.3, mean, h); // nobody followed more than 5 days
    const noPrior = fitRedemptionTiming(young, { horizonDays: h });
    expect(noPrior.followUpComplete).toBe(false);
    expect(noPrior.eventualShare).toBeNull();
    expect(noPrior.realizedShare(4.99)).toBeGreaterThan(0.95); // overstated: normalized at 5 days
    const prior = fitRedemptionTiming(history(12, 40_000, 60, 0.3, mean, h), { horizonDays: h });
    const spliced = fitRedemptionTiming(young, { horizonDays: h, prior });
    for (const d of [1, 2, 4, 7, 10])
      expect(Math.abs(spliced.realizedShare(d) - trueF(d, mean, h))).toBeLessThan(0.03);
    expect(spliced.eventualShare).toBeGreaterThan(0.27);
    expect(spliced.eventualShare).toBeLessThan(0.33);
  });

  it("throws no_redemptions without events, and the safe variant returns it", () => {
    expect(() =>
      fitRedemptionTiming({ ageDays: [3, 4], lagDays: [Number.NaN, 5] }, { horizonDays: 7 }),
    ).toThrow(CiaError);
    const r = safeFitRedemptionTiming({ ageDays: [3], lagDays: [Number.NaN] }, { horizonDays: 7 });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.code).toBe("no_redemptions");
    expect(safeFitRedemptionTiming({ ageDays: [Number.NaN], lagDays: [1] }, { horizonDays: 7 }).success).toBe(
      false,
    );
    expect(() => fitRedemptionTiming({ ageDays: [1], lagDays: [-1] }, { horizonDays: 7 })).toThrow(
      /lag must be/,
    );
    expect(() => fitRedemptionTiming({ ageDays: [1], lagDays: [1] }, { horizonDays: 0 })).toThrow(
      /horizonDays/,
    );
  });

  it("round-trips through JSON and validates curves", () => {
    const t = fitRedemptionTiming(history(3, 2_000, 30, 0.4, 2, 10), { horizonDays: 10 });
    const copy = RedemptionTiming.fromJSON(JSON.parse(JSON.stringify(t)));
    expect(copy.toJSON()).toEqual(t.toJSON());
    for (const d of [0, 0.3, 1, 2.5, 9.99, 10, 50]) expect(copy.realizedShare(d)).toBe(t.realizedShare(d));
    expect(Object.isFrozen(t)).toBe(true);
    expect(() => RedemptionTiming.fromShares({ knots: [1, 1], shares: [0.1, 0.2], horizonDays: 5 })).toThrow(
      /increasing/,
    );
    expect(() => RedemptionTiming.fromShares({ knots: [1, 2], shares: [0.5, 0.2], horizonDays: 5 })).toThrow(
      /non-decreasing/,
    );
    expect(() => RedemptionTiming.fromShares({ knots: [1], shares: [1.5], horizonDays: 5 })).toThrow(
      CiaError,
    );
    expect(() => RedemptionTiming.fromJSON({ kind: "x" } as never)).toThrow(/redemption-timing/);
  });

  it("evaluates step functions, inverse and edge ages", () => {
    const t = RedemptionTiming.fromShares({ knots: [0, 2, 5], shares: [0.1, 0.6, 0.9], horizonDays: 7 });
    expect(t.realizedShare(-1)).toBe(0);
    expect(t.realizedShare(0)).toBe(0.1);
    expect(t.realizedShare(4.9)).toBe(0.6);
    expect(t.realizedShare(Number.POSITIVE_INFINITY)).toBe(1);
    expect(t.remainingShare(5)).toBeCloseTo(0.1, 14);
    expect(t.ageAtShare(0.6)).toBe(2);
    expect(t.ageAtShare(0.95)).toBe(7);
    expect(t.ageAtShare(0)).toBe(0);
    expect(() => t.realizedShare(Number.NaN)).toThrow(CiaError);
    expect(() => t.ageAtShare(2)).toThrow(CiaError);
    expect(RedemptionTiming.conservative(14).remainingShare(13.9)).toBe(1);
  });
});
