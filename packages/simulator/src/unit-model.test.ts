import { denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { deterministicPolicy } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";
import { buildUnitModel, gammaIntCdf } from "./unit-model.js";
import { worldNames } from "./world-params.js";
import type { Population } from "./world-types.js";

/** A population of `reps` copies of each of the first `distinct` units of `pop`. */
function replicate(pop: Population, distinct: number, reps: number): Population {
  const p = pop.features.cols;
  const n = distinct * reps;
  const features = denseMatrix(n, p);
  const lifecycle = new Uint8Array(n);
  const daysInactive = new Float64Array(n);
  const concurrent = pop.concurrent === undefined ? undefined : new Uint8Array(n);
  const unitIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const src = Math.floor(i / reps);
    features.data.set(pop.features.row(src), i * p);
    lifecycle[i] = pop.lifecycle[src]!;
    daysInactive[i] = pop.daysInactive[src]!;
    if (concurrent !== undefined) concurrent[i] = pop.concurrent![src]!;
    unitIds.push(`r${i}`);
  }
  return { ...pop, n, unitIds, features, lifecycle, daysInactive, concurrent };
}

describe("gammaIntCdf", () => {
  it("matches the closed forms of the exponential and Erlang-2 CDFs", () => {
    expect(gammaIntCdf(3, 1, 2)).toBeCloseTo(1 - Math.exp(-1.5), 14);
    expect(gammaIntCdf(3, 2, 2)).toBeCloseTo(1 - Math.exp(-1.5) * 2.5, 14);
    expect(gammaIntCdf(0, 2, 2)).toBe(0);
  });
});

describe("truth = the unit model's component probabilities, and the sampler draws them", () => {
  for (const name of worldNames) {
    it(name, () => {
      const world = createWorld(name);
      const k = world.actions.length;
      const base = world.sampleUnits(400, { seed: `${name}-components` });
      // Ten distinct units spread over the regimes, each copied many times: per-unit Monte Carlo.
      const picks: number[] = [];
      for (let lc = 0; lc < 3; lc++) {
        let taken = 0;
        for (let i = 0; i < base.n && taken < (lc === 2 ? 4 : 3); i++) {
          if (base.lifecycle[i] === lc) {
            picks.push(i);
            taken++;
          }
        }
      }
      const sub = { ...base, features: base.features.selectRows(picks), n: picks.length };
      const distinct = picks.length;
      const reps = 5_000;
      const small: Population = {
        ...sub,
        unitIds: picks.map((i) => base.unitIds[i]!),
        lifecycle: Uint8Array.from(picks.map((i) => base.lifecycle[i]!)),
        daysInactive: Float64Array.from(picks.map((i) => base.daysInactive[i]!)),
        concurrent:
          base.concurrent === undefined ? undefined : Uint8Array.from(picks.map((i) => base.concurrent![i]!)),
      };
      const m = buildUnitModel(world.params, small);
      const truth = world.truth(small);
      const params = world.params;
      // The probabilities of each observable component, re-derived here from the model.
      const phi0 =
        gammaIntCdf(params.shortWindowDays, 1, params.organicOrderMeanDays) /
        gammaIntCdf(params.horizonDays, 1, params.organicOrderMeanDays);
      const phi1 =
        gammaIntCdf(params.shortWindowDays, params.offerOrderShape, params.offerOrderScaleDays) /
        gammaIntCdf(params.horizonDays, params.offerOrderShape, params.offerOrderScaleDays);
      const comp = (u: number, a: number) => {
        const p0 = m.p0[u]!;
        const s = a === 0 ? 0 : params.deliveryRate * m.seenGivenDelivered[u * k + a]!;
        const lift = a === 0 ? 0 : m.lift[u * k + a]!;
        const convert = p0 + s * (1 - p0) * lift;
        const orders =
          s * (p0 + (1 - p0) * lift) * (1 + m.repeats[u * k + a]!) + (1 - s) * p0 * (1 + m.repeats[u * k]!);
        const short = p0 * phi0 + s * (1 - p0) * lift * phi1;
        const redeem = s * (p0 * m.organicRedeem[u]! + (1 - p0) * lift * params.incrementalRedeem);
        return { convert, orders, short, redeem };
      };
      // 1. Truth equals margin x expected orders, margin x P(short first order), credit x P(redeem).
      for (let u = 0; u < distinct; u++) {
        for (let a = 0; a < k; a++) {
          const c = comp(u, a);
          const j = u * k + a;
          expect(truth.meanValue[j]).toBeCloseTo(m.margin[u]! * c.orders, 9);
          expect(truth.meanValueShort[j]).toBeCloseTo(m.margin[u]! * c.short, 9);
          expect(truth.meanCost[j]).toBeCloseTo(params.actions[a]!.credit * c.redeem, 9);
        }
      }
      // 2. The sampler reproduces each component for each unit (binomial / Poisson z-tests).
      const pop = replicate(small, distinct, reps);
      const actionsToTest = k > 5 ? [0, 3, 6, 9, 12] : [0, 1, 2, 3, 4];
      for (const a of actionsToTest) {
        const log = world.log(pop, deterministicPolicy(new Int32Array(pop.n).fill(a), k), {
          seed: `${name}-${a}`,
        });
        const orders = new Float64Array(pop.n);
        let marginSum = 0;
        let marginCount = 0;
        for (let e = 0; e < log.events.count; e++) {
          if (log.events.kind[e] !== 0) continue;
          const i = log.events.unit[e]!;
          orders[i]!++;
          marginSum += log.events.amount[e]! / m.margin[Math.floor(i / reps)]!;
          marginCount++;
        }
        if (marginCount > 0) {
          const sd = 1 / Math.sqrt(params.marginShape);
          expect(Math.abs(marginSum / marginCount - 1) / (sd / Math.sqrt(marginCount))).toBeLessThan(4.5);
        }
        for (let u = 0; u < distinct; u++) {
          const c = comp(u, a);
          let conv = 0;
          let sh = 0;
          let red = 0;
          let ord = 0;
          let ordSq = 0;
          for (let r = 0; r < reps; r++) {
            const i = u * reps + r;
            if (log.value[i]! > 0) conv++;
            if (log.valueShort[i]! > 0) sh++;
            if (log.cost[i]! > 0) red++;
            ord += orders[i]!;
            ordSq += orders[i]! * orders[i]!;
          }
          const zb = (count: number, p: number) =>
            (count - reps * p) / Math.sqrt(Math.max(reps * p * (1 - p), 1e-12));
          expect(Math.abs(zb(conv, c.convert))).toBeLessThan(4.5);
          expect(Math.abs(zb(sh, c.short))).toBeLessThan(4.5);
          if (a > 0 && params.actions[a]!.credit > 0) expect(Math.abs(zb(red, c.redeem))).toBeLessThan(4.5);
          else expect(red).toBe(0);
          const meanOrd = ord / reps;
          const varOrd = ordSq / reps - meanOrd * meanOrd;
          expect(Math.abs(meanOrd - c.orders) / Math.sqrt(Math.max(varOrd, 1e-9) / reps)).toBeLessThan(4.5);
        }
      }
    });
  }
});
