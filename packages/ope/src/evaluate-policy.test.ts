import { CiaError, DataValidationError, createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { doublyRobust } from "./doubly-robust.js";
import { evaluatePolicy, safeEvaluatePolicy } from "./evaluate-policy.js";
import type { OpeData } from "./evaluate-policy.js";
import { ips } from "./ips.js";
import { numpyMean } from "@cia/core/parity";
import { constantPolicy, policyFromActions } from "./policy-matrix.js";
import { drawLog, noisyModel, randomProblem } from "./test-helpers/tiny.js";

/** A log with value and cost heads (cost = a nonnegative function of the action plus noise). */
function fixture(n = 600, k = 3, seed = 2) {
  const problem = randomProblem(n, k, seed);
  const log = drawLog(problem, seed + 1);
  const rng = createRng(seed + 2);
  const costMu = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) costMu[i * k + a] = a * (1 + 0.2 * rng.uniform());
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) cost[i] = costMu[i * k + log.action[i]!]! + rng.normal(0, 0.1);
  const data: OpeData = {
    k,
    action: log.action,
    propensity: log.propensity,
    value: log.reward,
    cost,
    loggingProbabilities: problem.logging,
  };
  const qHat = { value: noisyModel(problem.mu, 0.2, 1), cost: noisyModel(costMu, 0.05, 2) };
  return { data, qHat, target: problem.target, problem };
}

describe("evaluatePolicy", () => {
  it("matches the estimators, and builds increments, CPIV and totals from them", () => {
    const { data, qHat, target } = fixture();
    const r = evaluatePolicy(data, { target, qHat, interval: { method: "normal" }, populationSize: 10_000 });
    const inputs = {
      k: data.k,
      action: data.action,
      propensity: data.propensity,
      reward: data.value,
      target,
      qHat: qHat.value,
    };
    const dr = r.estimates.dr!;
    expect(dr.value.estimate).toBe(doublyRobust(inputs).estimate);
    expect(r.estimates.ips!.value.estimate).toBe(ips(inputs).estimate);
    const costDr = doublyRobust({ ...inputs, reward: data.cost!, qHat: qHat.cost }).estimate;
    expect(dr.cost!.estimate).toBe(costDr);
    const control = constantPolicy(data.action.length, data.k, 0);
    const ctlValue = doublyRobust({ ...inputs, target: control }).estimate;
    const ctlCost = doublyRobust({
      ...inputs,
      target: control,
      reward: data.cost!,
      qHat: qHat.cost,
    }).estimate;
    expect(dr.incremental!.value.estimate).toBeCloseTo(dr.value.estimate - ctlValue, 14);
    expect(dr.incremental!.cost!.estimate).toBeCloseTo(costDr - ctlCost, 14);
    expect(dr.incremental!.cpiv!.estimate).toBeCloseTo(
      (dr.value.estimate - ctlValue) / (costDr - ctlCost),
      12,
    );
    expect(dr.incremental!.costPerIncrementalValue!.estimate).toBeCloseTo(
      (costDr - ctlCost) / (dr.value.estimate - ctlValue),
      12,
    );
    expect(dr.totalValue.estimate).toBeCloseTo(dr.value.estimate * 10_000, 9);
    expect(dr.totalCost!.upper).toBeCloseTo(dr.cost!.upper * 10_000, 9);
    expect(Object.keys(r.estimates)).toEqual(["dm", "ips", "snips", "dr", "sndr", "switch-dr"]);
    expect(r.populationSize).toBe(10_000);
    expect(r.diagnostics.target.n).toBe(600);
  });

  it("normal intervals of differences use the per-round differences (paired)", () => {
    const { data, target } = fixture();
    const n = data.action.length;
    const baseline = policyFromActions(
      Int32Array.from({ length: n }, (_, i) => i % 3),
      3,
    );
    const r = evaluatePolicy(data, { target, baseline, estimators: ["ips"], interval: { method: "normal" } });
    const inputs = { k: 3, action: data.action, propensity: data.propensity, reward: data.value };
    const a = ips({ ...inputs, target }).rounds;
    const b = ips({ ...inputs, target: baseline }).rounds;
    const d = a.map((x, i) => x - b[i]!);
    const m = numpyMean(d);
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
    const vb = r.estimates.ips!.versusBaseline!;
    expect(vb.value.se).toBeCloseTo(sd / Math.sqrt(n), 12);
    expect(vb.value.estimate).toBeCloseTo(numpyMean(a) - numpyMean(b), 14);
    expect(vb.baselineValue.estimate).toBe(numpyMean(b));
  });

  it("bootstrap intervals pair the resamples: a near-identical baseline gives a narrow difference", () => {
    const { data, qHat, target } = fixture(2000, 3, 7);
    // The baseline equals the target except on 5% of units.
    const baseline = Float64Array.from(target);
    for (let i = 0; i < 2000; i += 20) baseline.set([1, 0, 0], i * 3);
    const r = evaluatePolicy(data, {
      target,
      baseline,
      qHat,
      estimators: ["dr", "ips"],
      interval: { resamples: 400, seed: 3 },
    });
    for (const e of [r.estimates.dr!, r.estimates.ips!]) {
      const diffWidth = e.versusBaseline!.value.upper - e.versusBaseline!.value.lower;
      const valueWidth = e.value.upper - e.value.lower;
      expect(diffWidth).toBeLessThan(0.5 * valueWidth);
      expect(e.value.lower).toBeLessThan(e.value.estimate);
      expect(e.value.upper).toBeGreaterThan(e.value.estimate);
    }
    expect(r.interval).toEqual({
      method: "bootstrap",
      level: 0.95,
      resamples: 400,
      scheme: "multinomial",
      seed: "3",
    });
    // Same seed, same numbers.
    const again = evaluatePolicy(data, {
      target,
      baseline,
      qHat,
      estimators: ["dr", "ips"],
      interval: { resamples: 400, seed: 3 },
    });
    expect(again.estimates.dr!.versusBaseline!.value).toEqual(r.estimates.dr!.versusBaseline!.value);
  });

  it("bootstrap and normal CPIV intervals agree when the cost increment is clearly positive", () => {
    const { data, qHat, target } = fixture(3000, 3, 9);
    const boot = evaluatePolicy(data, {
      target,
      qHat,
      estimators: ["dr"],
      interval: { resamples: 500, seed: 1 },
    });
    const normal = evaluatePolicy(data, { target, qHat, estimators: ["dr"], interval: { method: "normal" } });
    const b = boot.estimates.dr!.incremental!.cpiv!;
    const w = normal.estimates.dr!.incremental!.cpiv!;
    expect(b.defined).toBe(true);
    expect(b.estimate).toBe(w.estimate);
    expect(b.lower).toBeLessThan(b.estimate);
    expect(b.upper).toBeGreaterThan(b.estimate);
    // The delta-method and bootstrap standard errors of the ratio agree to within ~20%.
    expect(b.se / w.se).toBeGreaterThan(0.8);
    expect(b.se / w.se).toBeLessThan(1.25);
  });

  it("the bagged scheme: the multinomial bootstrap's standard errors, paired, seeded, at n + R x B cost", () => {
    const { data, qHat, target } = fixture(4000, 3, 11);
    const opts = { target, qHat, estimators: ["dr", "snips"] as const, baseline: "control" as const };
    const bagged = evaluatePolicy(data, {
      ...opts,
      interval: { resamples: 500, seed: 5, scheme: "bagged", bags: 1000 },
    });
    const normal = evaluatePolicy(data, { ...opts, interval: { method: "normal" } });
    expect(bagged.interval).toEqual({
      method: "bootstrap",
      level: 0.95,
      resamples: 500,
      scheme: "bagged",
      seed: "5",
      bags: 1000,
    });
    for (const name of ["dr", "snips"] as const) {
      const b = bagged.estimates[name]!;
      const w = normal.estimates[name]!;
      expect(b.value.estimate).toBe(w.value.estimate);
      for (const [x, y] of [
        [b.value, w.value],
        [b.cost!, w.cost!],
        [b.incremental!.value, w.incremental!.value],
      ] as const) {
        expect(x.se / y.se).toBeGreaterThan(0.85);
        expect(x.se / y.se).toBeLessThan(1.15);
        expect(x.lower).toBeLessThan(x.estimate);
        expect(x.upper).toBeGreaterThan(x.estimate);
      }
    }
    const again = evaluatePolicy(data, {
      ...opts,
      interval: { resamples: 500, seed: 5, scheme: "bagged", bags: 1000 },
    });
    expect(again.estimates.dr!.value).toEqual(bagged.estimates.dr!.value);
    const other = evaluatePolicy(data, {
      ...opts,
      interval: { resamples: 500, seed: 6, scheme: "bagged", bags: 1000 },
    });
    expect(other.estimates.dr!.value.lower).not.toBe(bagged.estimates.dr!.value.lower);
    // Never more bags than rows.
    const small = evaluatePolicy(fixture(300, 3, 4).data, {
      target: fixture(300, 3, 4).target,
      qHat: fixture(300, 3, 4).qHat,
      estimators: ["dr"],
      interval: { resamples: 200, seed: 1, scheme: "bagged" },
    });
    expect(small.interval.bags).toBe(300);
  });

  it("baseline 'control' is the comparison with no offer", () => {
    const { data, qHat, target } = fixture();
    const r = evaluatePolicy(data, {
      target,
      qHat,
      baseline: "control",
      estimators: ["dr"],
      interval: { method: "normal" },
    });
    expect(r.estimates.dr!.versusBaseline!.value.estimate).toBe(r.estimates.dr!.incremental!.value.estimate);
  });

  it("defaults to IPS and SNIPS without a reward model", () => {
    const { data, target } = fixture(200);
    const r = evaluatePolicy(data, { target, interval: { method: "normal" } });
    expect(Object.keys(r.estimates)).toEqual(["ips", "snips"]);
  });

  it("throws on support violations of the target, or reports them on request", () => {
    const { data, target } = fixture(300);
    const logging = Float64Array.from(data.loggingProbabilities!);
    // Row 5 now never logs action 2 while the target gives it mass (target rows are all positive).
    logging[5 * 3 + 2] = 0;
    const bad = { ...data, loggingProbabilities: logging };
    expect(() => evaluatePolicy(bad, { target })).toThrow(CiaError);
    try {
      evaluatePolicy(bad, { target });
    } catch (e) {
      expect((e as CiaError).code).toBe("support_violation");
      expect((e as CiaError).message).toContain("action 2 (index 2) on 1 rows");
    }
    const reported = evaluatePolicy(bad, { target, support: "report", interval: { method: "normal" } });
    expect(reported.diagnostics.supportViolations.target).toHaveLength(1);
    expect(reported.notes.join(" ")).toContain("support violations");
    // DM needs no support.
    const { qHat } = fixture(300);
    expect(() =>
      evaluatePolicy(bad, { target, qHat, estimators: ["dm"], interval: { method: "normal" } }),
    ).not.toThrow();
  });

  it("skips the increments when no offer was never logged", () => {
    const n = 100;
    const action = Int32Array.from({ length: n }, (_, i) => 1 + (i % 2));
    const data = {
      k: 3,
      action,
      propensity: new Float64Array(n).fill(0.5),
      value: new Float64Array(n).fill(1),
    };
    const target = policyFromActions(action, 3);
    const r = evaluatePolicy(data, { target, interval: { method: "normal" } });
    expect(r.estimates.ips!.incremental).toBeUndefined();
    expect(r.notes[0]).toContain("no offer (action 0) lacks logging support on 100 rows (never_logged)");
  });

  it("reports every input problem at once; the safe variant returns it", () => {
    const { data, qHat, target } = fixture(50);
    const bad = {
      ...data,
      propensity: data.propensity.map((p, i) => (i === 3 ? 0 : p)),
      cost: data.cost!.subarray(1),
    };
    expect(() => evaluatePolicy(bad, { target, qHat: { value: qHat.value } })).toThrow(DataValidationError);
    const r = safeEvaluatePolicy(bad, { target, qHat: { value: qHat.value } });
    expect(r.success).toBe(false);
    if (!r.success) {
      const codes = (r.error as DataValidationError).issues.map((i) => i.code);
      expect(codes).toContain("propensity_out_of_range");
      expect(codes).toContain("shape_mismatch");
      expect(codes).toContain("missing_q_hat");
    }
    expect(safeEvaluatePolicy(data, { target, interval: { method: "normal" } }).success).toBe(true);
    const unknown = safeEvaluatePolicy(data, { target, estimators: ["ips", "magic" as "ips"] });
    expect(unknown.success).toBe(false);
    if (!unknown.success) expect(unknown.error.message).toContain('unknown estimator "magic"');
  });
});
