import { describe, expect, it } from "vitest";
import type { AllocationOptions } from "./allocation-options.js";
import { allocate } from "./allocate.js";
import { solveExact } from "./solve-exact.js";
import { randomInstance } from "./test-helpers/random-instance.js";

// Problem shapes cycled over the random instances: every method and guardrail, with and without
// cost-saving actions.
const shapes: ((units: number) => AllocationOptions)[] = [
  (n) => ({ budget: 2.5 * n }),
  (n) => ({ budget: 1.5 * n, minValuePerCost: 1.2 }),
  (n) => ({ budget: 3 * n, maxCostPerValue: 0.6 }),
  (n) => ({ maxTreated: Math.floor(n / 3) }),
  (n) => ({ budget: 2.5 * n, maxTreated: Math.floor(n / 3) }),
  (n) => ({ budget: 2 * n, maxTreated: Math.floor(n / 2), minValuePerCost: 0.8 }),
  (n) => ({ budget: 3 * n, channelCaps: { 0: { maxTreated: Math.floor(n / 4) }, 1: { budget: n } } }),
  (n) => ({ budget: 3 * n, actionCaps: { 3: { maxTreated: 2 }, 2: { budget: n / 2 } } }),
  (n) => ({ channelCaps: { 1: { budget: 1.5 * n } } }),
  () => ({ budget: 0 }),
];

function instance(seed: number, units: number) {
  return randomInstance({
    units,
    actions: 3,
    seed,
    negativeCostShare: seed % 3 === 0 ? 0.08 : 0,
    ineligibleShare: 0.05,
    channels: 2,
    integer: seed % 5 === 4,
  });
}

describe("allocate against javascript-lp-solver", () => {
  it("upper_bound equals the LP relaxation optimum on 300 random instances", () => {
    let worst = 0;
    for (let seed = 0; seed < 300; seed++) {
      const units = 5 + (seed % 26);
      const c = instance(seed, units);
      const opts = shapes[seed % shapes.length]!(units);
      const r = allocate(c, opts);
      const lp = solveExact(c, opts, { relaxation: true });
      expect(lp.status).toBe("optimal");
      expect(r.certificate.converged).toBe(true);
      // javascript-lp-solver rounds its objective to 1e-9 absolute
      const err = Math.abs(r.totals.upper_bound - lp.value) / Math.max(1, Math.abs(lp.value));
      worst = Math.max(worst, err);
      expect(err, `seed ${seed} ${JSON.stringify(opts)}`).toBeLessThan(1e-9);
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it("the integral allocation is feasible, below the MILP optimum and within the proven gap", () => {
    let proven = 0;
    let equal = 0;
    for (let seed = 1000; seed < 1130; seed++) {
      const units = 5 + (seed % 16);
      const c = instance(seed, units);
      const opts = shapes[seed % shapes.length]!(units);
      const r = allocate(c, opts);
      const ip = solveExact(c, opts, { timeoutMs: 20_000 });
      if (ip.status !== "optimal") continue;
      proven++;
      const tol = 1e-7 * Math.max(1, Math.abs(ip.value));
      const msg = `seed ${seed} ${JSON.stringify(opts)}`;
      expect(r.totals.objective, msg).toBeLessThanOrEqual(ip.value + tol);
      expect(r.totals.upper_bound, msg).toBeGreaterThanOrEqual(ip.value - tol);
      expect(r.totals.objective, msg).toBeGreaterThanOrEqual(ip.value - r.totals.gap - tol);
      // the theory's limit: m constraints, at most m units' largest value
      expect(r.totals.gap, msg).toBeLessThanOrEqual(r.certificate.gap_limit + tol);
      if (Math.abs(r.totals.objective - ip.value) <= tol) equal++;
    }
    expect(proven).toBeGreaterThanOrEqual(120);
    // the heuristic rounding finds the exact optimum on most small instances
    expect(equal / proven).toBeGreaterThan(0.5);
  });
});

describe("solveExact", () => {
  it("solves a hand example exactly and reports actions", () => {
    const c = instance(1, 6);
    const r = solveExact(c, { budget: 10 });
    expect(r.status).toBe("optimal");
    let v = 0;
    for (let i = 0; i < c.unit.length; i++) if (r.share[i]! > 0.5) v += c.tauValue[i]!;
    expect(v).toBeCloseTo(r.value, 6);
    expect(r.action.length).toBe(6);
  });

  it("reports not_proven when the timeout stops branch and bound", () => {
    const c = randomInstance({ units: 150, actions: 3, seed: 3 });
    const r = solveExact(c, { budget: 200, maxTreated: 40 }, { timeoutMs: 1 });
    expect(r.status).toBe("not_proven");
  });

  it("refuses problems above its size limit", () => {
    const c = randomInstance({ units: 50, actions: 3, seed: 3 });
    expect(() => solveExact(c, { budget: 10 }, { maxVariables: 20 })).toThrowError(/allocate\(\)/);
  });
});

describe("allocate: the active-set evaluation used at scale", () => {
  it("gives the same bound and allocation as full evaluations, and the exact LP value", () => {
    for (let seed = 0; seed < 40; seed++) {
      const units = 20 + (seed % 15);
      const c = instance(seed + 500, units);
      const opts = shapes[4 + (seed % 4)]!(units);
      const full = allocate(c, { ...opts, dual: { activeSetMinOptions: Number.POSITIVE_INFINITY } });
      const fast = allocate(c, { ...opts, dual: { activeSetMinOptions: 0 } });
      const lp = solveExact(c, opts, { relaxation: true });
      const msg = `seed ${seed} ${JSON.stringify(opts)}`;
      expect(Math.abs(fast.totals.upper_bound - lp.value) / Math.max(1, lp.value), msg).toBeLessThan(1e-9);
      expect(
        Math.abs(fast.totals.upper_bound - full.totals.upper_bound) / Math.max(1, lp.value),
        msg,
      ).toBeLessThan(1e-9);
      expect(fast.totals.objective, msg).toBeGreaterThanOrEqual(
        fast.totals.upper_bound - fast.certificate.gap_limit - 1e-9,
      );
    }
  });
});
