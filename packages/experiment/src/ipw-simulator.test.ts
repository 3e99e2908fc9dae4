import { createRng } from "@cia/core";
import { type Population, type World, createWorld } from "@cia/simulator";
import { beforeAll, describe, expect, it } from "vitest";
import { assignProgram } from "./assign-program.js";
import { averageEffects } from "./average-effects.js";
import { hajekMean } from "./hajek-mean.js";
import { countActions, expectedActionCounts, sampleRatioMismatch } from "./sample-ratio-mismatch.js";
import { stratifiedDesign } from "./stratified-design.js";
import { warmStartDesign } from "./warm-start-design.js";

// Ground truth for the population-level estimands: the mean over a large sample (50,000 units)
// of the simulator's exact conditional means E[Y(a) | x]. Its own error (sd / sqrt(50,000)) is
// carried into the margins below.
let world: World;
let k: number;
let actions: string[];
const truthMean = { value: new Float64Array(0), cost: new Float64Array(0) };
const truthSe = { value: new Float64Array(0), cost: new Float64Array(0) };

beforeAll(() => {
  world = createWorld("default");
  k = world.actions.length;
  actions = world.actions.map((a) => a.name);
  const big = world.sampleUnits(50_000, { seed: "superpopulation" });
  const t = world.truth(big);
  for (const [key, arr] of [
    ["value", t.meanValue],
    ["cost", t.meanCost],
  ] as const) {
    const m = new Float64Array(k);
    const s2 = new Float64Array(k);
    for (let i = 0; i < big.n; i++) for (let a = 0; a < k; a++) m[a]! += arr[i * k + a]! / big.n;
    for (let i = 0; i < big.n; i++)
      for (let a = 0; a < k; a++) s2[a]! += (arr[i * k + a]! - m[a]!) ** 2 / (big.n - 1);
    truthMean[key] = m;
    truthSe[key] = s2.map((v) => Math.sqrt(v / big.n));
  }
});

/** One warm-start experiment: prior score = noisy (tau_value - tau_cost), hash assignment, simulated outcomes. */
function runExperiment(pop: Population, seed: string, epsilon = 0.04) {
  const n = pop.n;
  const truth = world.truth(pop);
  const rng = createRng(seed).split("prior");
  const score = new Float64Array(n * k);
  for (let j = 0; j < n * k; j++)
    score[j] = truth.tauValue[j]! - truth.tauCost[j]! + (j % k === 0 ? 0 : rng.normal(0, 0.3));
  const design = warmStartDesign({ actions, temperature: 1, epsilon });
  const asg = assignProgram({
    program: "reactivation",
    salt: seed,
    design,
    unitIds: pop.unitIds,
    context: { score },
  });
  // The simulator draws outcomes for exactly the hash-assigned arm (a one-hot policy matrix).
  const onehot = new Float64Array(n * k);
  for (let i = 0; i < n; i++) onehot[i * k + asg.action[i]!] = 1;
  const log = world.log(pop, onehot, { seed: `${seed}/outcomes` });
  for (let i = 0; i < n; i++)
    if (log.action[i] !== asg.action[i]) throw new Error("simulator did not follow the assignment");
  return { asg, log };
}

const armMask = (action: Int32Array, a: number) => action.map((x) => (x === a ? 1 : 0));

describe("warm-start exploration on the simulator (default world)", () => {
  it("the naive mean is biased and the Hajek IPW estimate recovers the truth", () => {
    const pop = world.sampleUnits(20_000, { seed: "bias" });
    const { asg, log } = runExperiment(pop, "bias-run");
    // Importance weights bounded by 1 / epsilon (the design's floor).
    let maxW = 0;
    for (const p of asg.propensity) maxW = Math.max(maxW, 1 / p);
    expect(maxW).toBeLessThanOrEqual(1 / 0.04 + 1e-6);

    const report: string[] = [];
    for (const outcome of ["value", "cost"] as const) {
      const y = log[outcome];
      // Population mean under a uniform design: (1/K) sum_a E[Y(a)].
      const truthUniform = truthMean[outcome].reduce((s, v) => s + v, 0) / k;
      const ipw = hajekMean(y, asg.propensity);
      const naive = y.reduce((s, v) => s + v, 0) / y.length;
      report.push(
        `${outcome} uniform-design mean: truth ${truthUniform.toFixed(3)}, naive ${naive.toFixed(3)}, IPW ${ipw.estimate.toFixed(3)} (se ${ipw.se.toFixed(3)})`,
      );
      expect(Math.abs(ipw.estimate - truthUniform)).toBeLessThan(3.5 * ipw.se + 0.05);
      for (let a = 0; a < k; a++) {
        const m = hajekMean(y, asg.propensity, { mask: armMask(asg.action, a) });
        const margin = 3.5 * Math.hypot(m.se, truthSe[outcome][a]!);
        expect(Math.abs(m.estimate - truthMean[outcome][a]!)).toBeLessThanOrEqual(margin + 1e-12);
      }
    }
    // The naive control-arm value mean: skewed exploration keeps on no-offer exactly the units whose
    // offers score low, which are heavier baseline buyers; the IPW arm mean removes that.
    const control = armMask(asg.action, 0);
    let s = 0;
    let c = 0;
    for (let i = 0; i < pop.n; i++) {
      if (control[i]) {
        s += log.value[i]!;
        c++;
      }
    }
    const naiveControl = s / c;
    const ipwControl = hajekMean(log.value, asg.propensity, { mask: control });
    const truth0 = truthMean.value[0]!;
    report.push(
      `value E[Y(control)]: truth ${truth0.toFixed(3)}, naive ${naiveControl.toFixed(3)}, IPW ${ipwControl.estimate.toFixed(3)} (se ${ipwControl.se.toFixed(3)})`,
    );
    expect(Math.abs(naiveControl - truth0)).toBeGreaterThan(5 * ipwControl.se);
    expect(Math.abs(ipwControl.estimate - truth0)).toBeLessThan(
      3.5 * Math.hypot(ipwControl.se, truthSe.value[0]!),
    );
    // The naive cost mean is far below the uniform-design truth (the design favors cheap arms).
    const truthCost = truthMean.cost.reduce((x, v) => x + v, 0) / k;
    const naiveCost = log.cost.reduce((x, v) => x + v, 0) / pop.n;
    expect(truthCost - naiveCost).toBeGreaterThan(5 * hajekMean(log.cost, asg.propensity).se);
    // And the naive effect of the cheapest offer on value has the wrong sign here, the IPW one does not.
    const [e1] = averageEffects({
      action: asg.action,
      propensity: asg.propensity,
      value: log.value,
      cost: log.cost,
      actions,
    });
    const naiveEffect = e1!.n > 0 ? meanWhere(log.value, asg.action, 1) - naiveControl : Number.NaN;
    const trueEffect = truthMean.value[1]! - truth0;
    report.push(
      `value effect of ${actions[1]}: truth ${trueEffect.toFixed(3)}, naive ${naiveEffect.toFixed(3)}, IPW ${e1!.value.estimate.toFixed(3)} (se ${e1!.value.se.toFixed(3)})`,
    );
    expect(Math.abs(naiveEffect - trueEffect)).toBeGreaterThan(4 * e1!.value.se);
    expect(Math.abs(e1!.value.estimate - trueEffect)).toBeLessThan(3.5 * e1!.value.se + 0.05);
    console.log(report.join("\n"));
  });

  it("intervals cover the truth at about 95% over 200 seeded repetitions", () => {
    const reps = 200;
    const n = 2000;
    const hits = { armMean: 0, effect: 0, uniformMean: 0, effectValue: 0, effectCost: 0 };
    const tries = { armMean: 0, effect: 0, uniformMean: 0, effectValue: 0, effectCost: 0 };
    const inside = (lo: number, hi: number, t: number) => (lo <= t && t <= hi ? 1 : 0);
    // Errors of the uniform-design cost mean, IPW and naive, for the unbiasedness check.
    const ipwErr = new Float64Array(reps);
    const naiveErr = new Float64Array(reps);
    for (let r = 0; r < reps; r++) {
      const pop = world.sampleUnits(n, { seed: `coverage-${r}` });
      const { asg, log } = runExperiment(pop, `coverage-${r}`);
      for (const outcome of ["value", "cost"] as const) {
        const y = log[outcome];
        const u = hajekMean(y, asg.propensity);
        const truthUniform = truthMean[outcome].reduce((s, v) => s + v, 0) / k;
        hits.uniformMean += inside(u.lower, u.upper, truthUniform);
        tries.uniformMean++;
        if (outcome === "cost") {
          ipwErr[r] = u.estimate - truthUniform;
          naiveErr[r] = y.reduce((s, v) => s + v, 0) / n - truthUniform;
        }
        for (let a = 0; a < k; a++) {
          if (outcome === "cost" && a === 0) continue; // no-offer cost is identically 0
          const m = hajekMean(y, asg.propensity, { mask: armMask(asg.action, a) });
          hits.armMean += inside(m.lower, m.upper, truthMean[outcome][a]!);
          tries.armMean++;
        }
      }
      const effects = averageEffects({
        action: asg.action,
        propensity: asg.propensity,
        value: log.value,
        cost: log.cost,
        actions,
      });
      for (const e of effects) {
        const hv = inside(e.value.lower, e.value.upper, truthMean.value[e.action]! - truthMean.value[0]!);
        const hc = inside(e.cost!.lower, e.cost!.upper, truthMean.cost[e.action]! - truthMean.cost[0]!);
        hits.effectValue += hv;
        hits.effectCost += hc;
        hits.effect += hv + hc;
        tries.effectValue++;
        tries.effectCost++;
        tries.effect += 2;
      }
    }
    const cov = Object.fromEntries(
      Object.keys(hits).map((key) => [
        key,
        hits[key as keyof typeof hits] / tries[key as keyof typeof tries],
      ]),
    ) as Record<keyof typeof hits, number>;
    console.log(
      `coverage of nominal 95% intervals over ${reps} repetitions (n=${n}, warm start, epsilon 0.04): ` +
        `uniform-design mean ${cov.uniformMean.toFixed(3)}, arm means ${cov.armMean.toFixed(3)}, ` +
        `value effects ${cov.effectValue.toFixed(3)}, cost effects ${cov.effectCost.toFixed(3)}`,
    );
    // Unbiased over repetitions: the mean IPW error is within 3 Monte Carlo standard errors of 0;
    // the naive error is not.
    const meanSd = (x: Float64Array) => {
      const m = x.reduce((s, v) => s + v, 0) / x.length;
      const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
      return { m, mcse: sd / Math.sqrt(x.length) };
    };
    const ipwBias = meanSd(ipwErr);
    const naiveBias = meanSd(naiveErr);
    console.log(
      `mean error of the uniform-design cost mean over ${reps} repetitions: IPW ${ipwBias.m.toFixed(4)} ` +
        `(MC se ${ipwBias.mcse.toFixed(4)}), naive ${naiveBias.m.toFixed(4)} (MC se ${naiveBias.mcse.toFixed(4)})`,
    );
    expect(Math.abs(ipwBias.m)).toBeLessThan(3 * ipwBias.mcse);
    expect(Math.abs(naiveBias.m)).toBeGreaterThan(10 * naiveBias.mcse);
    for (const key of ["uniformMean", "armMean", "effectValue", "effectCost"] as const) {
      expect(cov[key]).toBeGreaterThan(0.92);
      expect(cov[key]).toBeLessThan(0.98);
    }
  });
});

function meanWhere(y: Float64Array, action: Int32Array, a: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    if (action[i] === a) {
      s += y[i]!;
      c++;
    }
  }
  return s / c;
}

describe("stratified exploration by lifecycle regime on the simulator", () => {
  it("realizes each stratum's split and the IPW arm means recover the truth", () => {
    const pop = world.sampleUnits(20_000, { seed: "stratified" });
    // Dormant units see mostly offers, active units mostly no-offer (k = 5 actions).
    const design = stratifiedDesign({
      actions,
      strata: ["new", "active", "dormant"],
      probabilities: {
        new: [0.2, 0.2, 0.2, 0.2, 0.2],
        active: [0.6, 0.1, 0.1, 0.1, 0.1],
        dormant: [0.05, 0.2, 0.25, 0.25, 0.25],
      },
    });
    const asg = assignProgram({
      program: "lifecycle",
      salt: "strat-1",
      design,
      unitIds: pop.unitIds,
      context: { stratum: pop.lifecycle },
    });
    for (let s = 0; s < 3; s++) {
      const mask = pop.lifecycle.map((l) => (l === s ? 1 : 0));
      const observed = countActions(
        asg.action.map((a, i) => (mask[i] ? a : -1)),
        k,
      );
      const srm = sampleRatioMismatch({
        observed,
        expected: expectedActionCounts(asg.probabilities, k, mask),
      });
      expect(srm.mismatch).toBe(false);
    }
    const onehot = new Float64Array(pop.n * k);
    for (let i = 0; i < pop.n; i++) onehot[i * k + asg.action[i]!] = 1;
    const log = world.log(pop, onehot, { seed: "strat-outcomes" });
    let naiveBiased = 0;
    for (let a = 0; a < k; a++) {
      const mask = armMask(asg.action, a);
      const m = hajekMean(log.value, asg.propensity, { mask });
      expect(Math.abs(m.estimate - truthMean.value[a]!)).toBeLessThan(
        3.5 * Math.hypot(m.se, truthSe.value[a]!),
      );
      const naive = meanWhere(log.value, asg.action, a);
      if (Math.abs(naive - truthMean.value[a]!) > 3.5 * m.se) naiveBiased++;
    }
    // Lifecycle drives baseline value, so arms fed by different regimes have biased naive means.
    expect(naiveBiased).toBeGreaterThan(0);
  });
});
