import { createRng } from "@cia/core";
import { createWorld, deterministicPolicy, uniformDesign } from "@cia/simulator";
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "./evaluate-policy.js";

// OPE against the simulator's exact ground truth: one population, a uniform randomized log drawn
// afresh in every repetition, a candidate policy chosen from the truth (greedy on value - cost),
// and the exact value of that policy on that population (World.policyValue, intention-to-treat
// like the logged outcomes). IPS and DR must be unbiased and their 95% normal intervals must cover
// at the nominal rate.
describe("IPS and DR on @cia/simulator (default world)", () => {
  it("are unbiased, cover at 93-97%, and DR has lower variance than IPS", () => {
    const world = createWorld("default");
    const k = world.actions.length;
    const pop = world.sampleUnits(2000, { seed: 11 });
    const truth = world.truth(pop);
    const n = pop.n;
    // Candidate: per unit the action maximizing tau_value - tau_cost (no offer when none is positive).
    const choice = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestScore = 0;
      for (let a = 1; a < k; a++) {
        const s = truth.tauValue[i * k + a]! - truth.tauCost[i * k + a]!;
        if (s > bestScore) {
          bestScore = s;
          best = a;
        }
      }
      choice[i] = best;
    }
    const target = deterministicPolicy(choice, k);
    const exact = world.policyValue(pop, target);
    // A reasonable reward model: the truth with 20% multiplicative noise, fixed across repetitions.
    const rng = createRng("q-hat");
    const qValue = truth.meanValue.map((m) => m * (1 + 0.2 * rng.normal()));
    const qCost = truth.meanCost.map((m) => m * (1 + 0.2 * rng.normal()));
    const design = uniformDesign(k);

    const reps = 500;
    const names = ["ips", "dr"] as const;
    const err = { ips: new Float64Array(reps), dr: new Float64Array(reps) };
    const errCost = { ips: new Float64Array(reps), dr: new Float64Array(reps) };
    const cover = { ips: 0, dr: 0 };
    const coverCost = { ips: 0, dr: 0 };
    const coverIncremental = { ips: 0, dr: 0 };
    for (let r = 0; r < reps; r++) {
      const log = world.log(pop, design, { seed: `rep-${r}` });
      const result = evaluatePolicy(
        { k, action: log.action, propensity: log.propensity, value: log.value, cost: log.cost },
        {
          target,
          qHat: { value: qValue, cost: qCost },
          estimators: ["ips", "dr"],
          interval: { method: "normal" },
        },
      );
      for (const e of names) {
        const est = result.estimates[e]!;
        err[e][r] = est.value.estimate - exact.value;
        errCost[e][r] = est.cost!.estimate - exact.cost;
        if (est.value.lower <= exact.value && exact.value <= est.value.upper) cover[e]++;
        if (est.cost!.lower <= exact.cost && exact.cost <= est.cost!.upper) coverCost[e]++;
        const inc = est.incremental!.value;
        if (inc.lower <= exact.incrementalValue && exact.incrementalValue <= inc.upper) coverIncremental[e]++;
      }
    }
    const stats = (x: Float64Array) => {
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
      return { mean: m, sd, se: sd / Math.sqrt(x.length) };
    };
    const lines: string[] = [];
    for (const e of names) {
      const v = stats(err[e]);
      const c = stats(errCost[e]);
      lines.push(
        `${e}: value bias ${v.mean.toFixed(4)} (se ${v.se.toFixed(4)}, sd ${v.sd.toFixed(3)}), coverage ${((100 * cover[e]) / reps).toFixed(1)}%; ` +
          `cost bias ${c.mean.toFixed(4)} (se ${c.se.toFixed(4)}), coverage ${((100 * coverCost[e]) / reps).toFixed(1)}%; ` +
          `incremental value coverage ${((100 * coverIncremental[e]) / reps).toFixed(1)}%`,
      );
    }
    console.log(
      `[ope] simulator default world, n = ${n}, ${reps} logs, true value ${exact.value.toFixed(4)}, cost ${exact.cost.toFixed(4)}\n  ${lines.join("\n  ")}`,
    );

    for (const e of names) {
      const v = stats(err[e]);
      expect(Math.abs(v.mean)).toBeLessThan(2 * v.se);
      expect(cover[e] / reps).toBeGreaterThanOrEqual(0.93);
      expect(cover[e] / reps).toBeLessThanOrEqual(0.97);
      const c = stats(errCost[e]);
      expect(Math.abs(c.mean)).toBeLessThan(3 * c.se);
      expect(coverCost[e] / reps).toBeGreaterThanOrEqual(0.9);
    }
    expect(stats(err.dr).sd).toBeLessThan(stats(err.ips).sd);
  });
});
