import { describe, expect, it } from "vitest";
import { deterministicPolicy, uniformDesign } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";
import { diffInMeans, meanColumn, residualZ } from "./test-helpers/stats.js";
import { worldNames } from "./world-params.js";
import type { SimulatedLog } from "./world-types.js";

// Bounds: |z| < 4.5 over a few hundred checks keeps the family-wise false-alarm rate below ~0.2%,
// while a model/truth mismatch of a few percent of an effect shows up as |z| >> 5 at these sizes.
const Z = 4.5;

describe("createWorld", () => {
  it("refuses unknown names and bad parameters", () => {
    expect(() => createWorld("nope")).toThrow(/unknown world/);
    expect(() => createWorld("default", { shortWindowDays: 40 })).toThrow(/shortWindowDays/);
    expect(() => createWorld("default", { actions: [{ name: "offer", credit: 5 }] })).toThrow(/actions/);
  });

  for (const name of worldNames) {
    describe(name, () => {
      const world = createWorld(name);
      const k = world.actions.length;
      const pop = world.sampleUnits(30_000, { seed: `${name}-pop` });
      const truth = world.truth(pop);
      const log = world.log(pop, uniformDesign(k), { seed: `${name}-log` });

      it("has consistent shapes, control at index 0 and exact tau identities", () => {
        expect(world.actions[0]).toEqual({ name: "control", credit: 0 });
        expect(pop.features.rows).toBe(pop.n);
        expect(pop.featureNames.length).toBe(pop.features.cols);
        expect(truth.meanValue.length).toBe(pop.n * k);
        for (let i = 0; i < pop.n; i += 97) {
          expect(truth.tauValue[i * k]).toBe(0);
          expect(truth.tauCost[i * k]).toBe(0);
          expect(truth.meanCost[i * k]).toBe(0);
          for (let a = 1; a < k; a++) {
            const j = i * k + a;
            expect(truth.tauValue[j]).toBeCloseTo(truth.meanValue[j]! - truth.meanValue[i * k]!, 10);
            expect(truth.tauCost[j]).toBeGreaterThanOrEqual(0);
            expect(truth.tauCost[j]).toBeLessThanOrEqual(world.actions[a]!.credit);
          }
        }
      });

      it("realized outcome means match the analytic means within sampling error", () => {
        for (let a = 0; a < k; a++) {
          for (let lc = 0; lc < 3; lc++) {
            const keep = (i: number) => log.action[i] === a && pop.lifecycle[i] === lc;
            expect(Math.abs(residualZ(log.value, truth.meanValue, k, log, keep))).toBeLessThan(Z);
            expect(Math.abs(residualZ(log.valueShort, truth.meanValueShort, k, log, keep))).toBeLessThan(Z);
            expect(Math.abs(residualZ(log.cost, truth.meanCost, k, log, keep))).toBeLessThan(Z);
          }
        }
      });

      it("a uniform log's difference in means recovers the average effects", () => {
        for (let a = 1; a < k; a++) {
          const dv = diffInMeans(log.value, log, a);
          const dc = diffInMeans(log.cost, log, a);
          const ds = diffInMeans(log.valueShort, log, a);
          expect(Math.abs(dv.estimate - meanColumn(truth.tauValue, truth, a)) / dv.se).toBeLessThan(Z);
          expect(Math.abs(dc.estimate - meanColumn(truth.tauCost, truth, a)) / dc.se).toBeLessThan(Z);
          expect(Math.abs(ds.estimate - meanColumn(truth.tauValueShort, truth, a)) / ds.se).toBeLessThan(Z);
        }
      });

      it("realized compliance matches the delivery and seen probabilities", () => {
        // E[seen | assigned a] has no closed form in Truth, but treated units never comply more often
        // than delivery allows and control never complies.
        let treated = 0;
        let seen = 0;
        for (let i = 0; i < log.n; i++) {
          if (log.action[i] === 0) expect(log.compliant[i]).toBe(0);
          else {
            treated++;
            seen += log.compliant[i]!;
          }
        }
        expect(seen / treated).toBeLessThan(world.params.deliveryRate);
        expect(seen / treated).toBeGreaterThan(0.3);
      });

      it("liability curve is monotone and ends at the policy's expected cost", () => {
        const all = deterministicPolicy(new Int32Array(pop.n).fill(k - 1), k);
        const days = [0, 1, 3, 7, 14, world.params.horizonDays, world.params.horizonDays + 10];
        const curve = world.liabilityCurve(pop, all, days);
        for (let j = 1; j < days.length; j++) expect(curve[j]!).toBeGreaterThanOrEqual(curve[j - 1]!);
        expect(curve[0]).toBe(0);
        const pv = world.policyValue(pop, all);
        expect(curve[days.length - 2]).toBeCloseTo(pv.cost, 10);
        expect(curve[days.length - 1]).toBeCloseTo(pv.cost, 10);
      });
    });
  }
});

describe("default world economics", () => {
  const world = createWorld("default");
  const k = world.actions.length;
  const pop = world.sampleUnits(30_000, { seed: 7 });
  const truth = world.truth(pop);

  it("has would-convert-anyway units, negative value effects and lifecycle heterogeneity", () => {
    let negative = 0;
    let anyway = 0;
    const byLifecycle = [0, 0, 0];
    const counts = [0, 0, 0];
    for (let i = 0; i < pop.n; i++) {
      const j = i * k + 3; // offer_10
      if (truth.tauValue[j]! < 0) negative++;
      // Pays (cost) but buys little: more than 5 of cost per 1 of value.
      if (truth.tauCost[j]! > 1 && truth.tauValue[j]! < 0.2 * truth.tauCost[j]!) anyway++;
      byLifecycle[pop.lifecycle[i]!]! += truth.tauValue[j]!;
      counts[pop.lifecycle[i]!]!++;
    }
    expect(negative / pop.n).toBeGreaterThan(0.1);
    expect(negative / pop.n).toBeLessThan(0.6);
    expect(anyway / pop.n).toBeGreaterThan(0.1);
    const [vNew, vActive, vDormant] = byLifecycle.map((s, l) => s / counts[l]!) as [number, number, number];
    expect(vNew).toBeGreaterThan(vDormant);
    expect(vDormant).toBeGreaterThan(0);
    expect(vActive).toBeLessThan(0);
  });

  it("cost labels have a higher signal-to-noise ratio than value labels (lesson 3)", () => {
    const log = world.log(pop, uniformDesign(k), { seed: 8 });
    for (let a = 1; a < k; a++) {
      const dv = diffInMeans(log.value, log, a);
      const dc = diffInMeans(log.cost, log, a);
      expect(Math.abs(dc.estimate) / dc.se).toBeGreaterThan(2 * (Math.abs(dv.estimate) / dv.se));
    }
  });
});

describe("sparse-value world", () => {
  it("makes the short proxy's effect easier to detect than the horizon value's (lesson 1)", () => {
    const world = createWorld("sparse-value");
    const k = world.actions.length;
    const pop = world.sampleUnits(40_000, { seed: 3 });
    const log = world.log(pop, uniformDesign(k), { seed: 4 });
    let nonzeroValue = 0;
    let nonzeroCost = 0;
    let treated = 0;
    for (let i = 0; i < pop.n; i++) {
      if (log.value[i]! > 0) nonzeroValue++;
      if (log.action[i]! > 0) {
        treated++;
        if (log.cost[i]! > 0) nonzeroCost++;
      }
    }
    expect(nonzeroValue / pop.n).toBeLessThan(0.3);
    expect(nonzeroCost / treated).toBeGreaterThan(0.05);
    const dv = diffInMeans(log.value, log, 4);
    const ds = diffInMeans(log.valueShort, log, 4);
    expect(ds.estimate / ds.se).toBeGreaterThan(dv.estimate / dv.se);
  });
});

describe("interference world", () => {
  const world = createWorld("interference");
  const k = world.actions.length;
  const pop = world.sampleUnits(40_000, { seed: 5 });
  const truth = world.truth(pop);

  it("enrolls units in the concurrent program and exposes it as a feature", () => {
    expect(pop.concurrent).toBeDefined();
    expect(pop.featureNames).toContain("concurrent_program");
    let enrolled = 0;
    for (let i = 0; i < pop.n; i++) enrolled += pop.concurrent![i]!;
    expect(enrolled / pop.n).toBeGreaterThan(0.2);
    expect(enrolled / pop.n).toBeLessThan(0.6);
  });

  it("shifts effects by enrollment, and a log recovers each portfolio state's truth", () => {
    const log = world.log(pop, uniformDesign(k), { seed: 6 });
    const inProgram = (i: number) => pop.concurrent![i] === 1;
    const outside = (i: number) => pop.concurrent![i] === 0;
    const lift = (keep: (i: number) => boolean) => meanColumn(truth.tauValueShort, truth, 3, keep);
    expect(lift(inProgram)).toBeLessThan(0.7 * lift(outside));
    for (const keep of [inProgram, outside]) {
      const d = diffInMeans(log.valueShort, log, 3, keep);
      expect(Math.abs(d.estimate - meanColumn(truth.tauValueShort, truth, 3, keep)) / d.se).toBeLessThan(Z);
    }
    // Turning the other program off changes the truth: it is conditional on the portfolio state.
    const isolated = { ...pop, concurrent: new Uint8Array(pop.n) };
    const t0 = world.truth(isolated);
    expect(meanColumn(t0.tauValueShort, t0, 3)).toBeGreaterThan(meanColumn(truth.tauValueShort, truth, 3));
  });
});

describe("drift world", () => {
  it("shifts the lifecycle mix, the baseline and the effects across periods", () => {
    const world = createWorld("drift");
    const p0 = world.sampleUnits(30_000, { seed: 9, period: 0 });
    const p3 = world.sampleUnits(30_000, { seed: 9, period: 3 });
    expect(p3.unitIds[0]).toBe("p3-u000001");
    const dormantShare = (lc: Uint8Array) => lc.reduce((s, v) => s + (v === 2 ? 1 : 0), 0) / lc.length;
    expect(dormantShare(p3.lifecycle)).toBeGreaterThan(dormantShare(p0.lifecycle) + 0.08);
    const t0 = world.truth(p0);
    const t3 = world.truth(p3);
    expect(meanColumn(t3.meanValue, t3, 0)).toBeLessThan(meanColumn(t0.meanValue, t0, 0));
    // Same units, later period: offer fatigue lowers the effect of the same offer.
    const moved = { ...p0, period: 3 };
    const tm = world.truth(moved);
    expect(meanColumn(tm.tauValueShort, tm, 3)).toBeLessThan(0.8 * meanColumn(t0.tauValueShort, t0, 3));
    const log3 = world.log(p3, uniformDesign(5), { seed: 1 });
    expect(log3.periodStart).toBe(
      Date.parse(world.params.startTime) + 3 * world.params.periodDays * 86_400_000,
    );
  });
});

describe("determinism", () => {
  const bytes = (log: SimulatedLog) =>
    Buffer.concat(
      [
        log.action,
        log.propensity,
        log.value,
        log.valueShort,
        log.cost,
        log.decisionTime,
        log.redemptionLagDays,
        log.compliant,
        log.events.amount,
        log.events.lagDays,
        log.events.unit,
      ].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
    );

  it("gives the same bytes for the same seed and different bytes for another", () => {
    const world = createWorld("interference");
    const a = world.sampleUnits(3_000, { seed: 42 });
    const b = createWorld("interference").sampleUnits(3_000, { seed: 42 });
    expect(Buffer.from(a.features.data.buffer).equals(Buffer.from(b.features.data.buffer))).toBe(true);
    expect(a.unitIds).toEqual(b.unitIds);
    const la = world.log(a, uniformDesign(5), { seed: "s" });
    const lb = createWorld("interference").log(b, uniformDesign(5), { seed: "s" });
    expect(bytes(la).equals(bytes(lb))).toBe(true);
    const lc = world.log(a, uniformDesign(5), { seed: "t" });
    expect(bytes(la).equals(bytes(lc))).toBe(false);
    const c = world.sampleUnits(3_000, { seed: 43 });
    expect(Buffer.from(a.features.data.buffer).equals(Buffer.from(c.features.data.buffer))).toBe(false);
  });
});
