// Properties on near-tie and greedy-trap instances (issue 17) against exact oracles: brute force
// over every assignment for tiny instances, javascript-lp-solver's MILP for small ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AllocationOptions } from "./allocation-options.js";
import { allocateWithLambda } from "./allocate-with-lambda.js";
import { allocate } from "./allocate.js";
import { calibrateBudget } from "./calibrate-budget.js";
import { type Candidates, createCandidates } from "./candidates.js";
import { efficiencyRanking } from "./efficiency-ranking.js";
import { solveExact } from "./solve-exact.js";

interface Option {
  cost: number;
  value: number;
  channel: number;
}
type Instance = Option[][];

/** A ratio of small integers: the costs whose float slopes tie or invert by one rounding step. */
const ratio = (maxP: number) =>
  fc
    .record({ p: fc.integer({ min: 1, max: maxP }), q: fc.integer({ min: 1, max: 7 }) })
    .map(({ p, q }) => p / q);

/**
 * Units whose options lie on lines through the origin with small-integer slopes (value = s x cost,
 * s in 1..3, the same s for a whole instance most of the time), a few cost-saving options, and
 * sometimes one big option per instance (the greedy trap: worth a lot, fits alone, poor slope).
 */
const nearTieArb = (maxUnits: number, maxOptions: number): fc.Arbitrary<Instance> =>
  fc
    .record({
      slope: fc.integer({ min: 1, max: 3 }),
      units: fc.array(
        fc.array(
          fc.record({
            cost: ratio(24),
            // mostly on the instance's line; now and then another line or a cost-saving option
            ownSlope: fc.oneof(
              { weight: 5, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
            ),
            saving: fc.oneof(
              { weight: 12, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: ratio(6) },
            ),
            channel: fc.integer({ min: 0, max: 1 }),
          }),
          { minLength: 1, maxLength: maxOptions },
        ),
        { minLength: 1, maxLength: maxUnits },
      ),
      trap: fc.oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.record({ unit: fc.nat(), cost: ratio(60), value: fc.integer({ min: 20, max: 200 }) }),
        },
      ),
    })
    .map(({ slope, units, trap }) => {
      const inst: Instance = units.map((opts) =>
        opts.map((o) =>
          o.saving !== undefined
            ? { cost: -o.saving, value: o.cost, channel: o.channel }
            : { cost: o.cost, value: (o.ownSlope ?? slope) * o.cost, channel: o.channel },
        ),
      );
      if (trap) inst[trap.unit % inst.length]!.push({ cost: trap.cost, value: trap.value, channel: 1 });
      return inst;
    });

function toCandidates(inst: Instance): Candidates {
  const unit: number[] = [];
  const action: number[] = [];
  const tauValue: number[] = [];
  const tauCost: number[] = [];
  const channel: number[] = [];
  inst.forEach((opts, u) => {
    opts.forEach((o, a) => {
      unit.push(u);
      action.push(a + 1);
      tauValue.push(o.value);
      tauCost.push(o.cost);
      channel.push(o.channel);
    });
  });
  return createCandidates({
    nUnits: inst.length,
    unit,
    action,
    tauValue,
    tauCost,
    channel,
    tauValueLower: tauValue,
  });
}

interface Limits {
  budget?: number;
  maxTreated?: number;
  /** a budget on channel 1 only */
  channel1Budget?: number;
}

function optionsOf(l: Limits): AllocationOptions {
  const o: AllocationOptions = {};
  if (l.budget !== undefined) o.budget = l.budget;
  if (l.maxTreated !== undefined) o.maxTreated = l.maxTreated;
  if (l.channel1Budget !== undefined) o.channelCaps = { 1: { budget: l.channel1Budget } };
  return o;
}

/** A cost limit with the allocator's few ulps of slack (sums in another order differ in the last bits). */
const within = (x: number, cap: number) => x <= cap * (1 + 1e-12) + 1e-12;

/** Exact optimum by enumerating every assignment (options with value <= 0 are never allowed). */
function bruteForce(inst: Instance, l: Limits): number {
  let best = 0;
  const walk = (u: number, spend: number, treated: number, ch1: number, value: number) => {
    if (u === inst.length) {
      if (
        (l.budget === undefined || within(spend, l.budget)) &&
        (l.maxTreated === undefined || treated <= l.maxTreated) &&
        (l.channel1Budget === undefined || within(ch1, l.channel1Budget))
      )
        best = Math.max(best, value);
      return;
    }
    walk(u + 1, spend, treated, ch1, value);
    for (const o of inst[u]!) {
      if (!(o.value > 0)) continue;
      walk(u + 1, spend + o.cost, treated + 1, ch1 + (o.channel === 1 ? o.cost : 0), value + o.value);
    }
  };
  walk(0, 0, 0, 0, 0);
  return best;
}

/** One unit's value: the largest value of any single option. */
const unitValue = (inst: Instance) => Math.max(0, ...inst.flat().map((o) => o.value));

/** The best single option that fits every limit alone (the greedy trap's answer). */
function bestSingle(inst: Instance, l: Limits): number {
  let best = 0;
  for (const o of inst.flat()) {
    if (!(o.value > 0)) continue;
    if (l.budget !== undefined && o.cost > l.budget) continue;
    if (l.maxTreated !== undefined && l.maxTreated < 1) continue;
    if (l.channel1Budget !== undefined && o.channel === 1 && o.cost > l.channel1Budget) continue;
    best = Math.max(best, o.value);
  }
  return best;
}

function checkAgainstOracle(inst: Instance, l: Limits, allowedUnits: number): void {
  const c = toCandidates(inst);
  const r = allocate(c, optionsOf(l));
  const opt = bruteForce(inst, l);
  const tol = 1e-9 * Math.max(1, opt);
  const msg = `${JSON.stringify(l)} opt ${opt} got ${r.totals.value} ${JSON.stringify(inst)}`;
  if (l.budget !== undefined) expect(within(r.totals.spend, l.budget), msg).toBe(true);
  if (l.maxTreated !== undefined) expect(r.totals.treated, msg).toBeLessThanOrEqual(l.maxTreated);
  // within one unit's value (m units' with m limits) of the optimum, and never below the best
  // single option that fits
  expect(r.totals.value, msg).toBeGreaterThanOrEqual(opt - allowedUnits * unitValue(inst) - tol);
  expect(r.totals.value, msg).toBeGreaterThanOrEqual(bestSingle(inst, l) - tol);
  // an honest certificate: the bound covers the optimum and the gap is bound minus value
  expect(r.totals.value, msg).toBeLessThanOrEqual(opt + tol);
  expect(r.totals.upper_bound, msg).toBeGreaterThanOrEqual(opt - tol);
  expect(r.totals.gap, msg).toBeCloseTo(r.totals.upper_bound - r.totals.objective, 9);
  expect(r.totals.gap, msg).toBeLessThanOrEqual(r.certificate.gap_limit + tol);
}

const budgetArb = fc
  .record({ p: fc.integer({ min: 0, max: 90 }), q: fc.integer({ min: 1, max: 6 }) })
  .map(({ p, q }) => p / q);

describe("near ties and greedy traps against brute force", () => {
  it("one budget: within one unit's value of the optimum and at least the best single option", () => {
    fc.assert(
      fc.property(nearTieArb(6, 3), budgetArb, (inst, budget) => checkAgainstOracle(inst, { budget }, 1)),
      { numRuns: 400, seed: 17 },
    );
  });

  it("one channel budget, and a volume cap alone (exact: the most valuable units)", () => {
    fc.assert(
      fc.property(nearTieArb(6, 3), budgetArb, fc.integer({ min: 0, max: 6 }), (inst, b, n) => {
        checkAgainstOracle(inst, { channel1Budget: b }, 1);
        checkAgainstOracle(inst, { maxTreated: n }, 0);
      }),
      { numRuns: 200, seed: 1717 },
    );
  });

  it("budget and volume cap together (Lagrangian): within two units' value", () => {
    fc.assert(
      fc.property(nearTieArb(6, 3), budgetArb, fc.integer({ min: 1, max: 6 }), (inst, budget, maxTreated) =>
        checkAgainstOracle(inst, { budget, maxTreated }, 2),
      ),
      { numRuns: 200, seed: 171717 },
    );
  });

  it("the risk-aware path ranks the lower bound the same way", () => {
    fc.assert(
      fc.property(nearTieArb(6, 3), budgetArb, (inst, budget) => {
        // tauValueLower equals tau_value here, so the objective must match the plain allocation
        const c = toCandidates(inst);
        const plain = allocate(c, { budget });
        const lower = allocate(c, { budget, risk: "lower" });
        expect(lower.totals.objective).toBe(plain.totals.objective);
        expect(Array.from(lower.action)).toEqual(Array.from(plain.action));
      }),
      { numRuns: 150, seed: 1718 },
    );
  });

  it("more budget never lowers the value (one budget, near ties and traps)", () => {
    fc.assert(
      fc.property(nearTieArb(8, 3), budgetArb, budgetArb, (inst, b, extra) => {
        const c = toCandidates(inst);
        const lo = allocate(c, { budget: b });
        const hi = allocate(c, { budget: b + extra });
        expect(hi.totals.value).toBeGreaterThanOrEqual(lo.totals.value);
      }),
      { numRuns: 300, seed: 1719 },
    );
  });

  it("allocateWithLambda at the lines' own slopes is optimal for the budget it spends (Everett)", () => {
    fc.assert(
      fc.property(nearTieArb(6, 3), fc.integer({ min: 1, max: 3 }), (inst, lambda) => {
        const r = allocateWithLambda(toCandidates(inst), lambda);
        const opt = bruteForce(inst, { budget: r.totals.spend });
        expect(r.totals.value).toBeGreaterThanOrEqual(opt - 1e-9 * Math.max(1, opt));
      }),
      { numRuns: 200, seed: 1720 },
    );
  });

  it("efficiencyRanking keeps each unit's increments in hull order, efficiency non-increasing", () => {
    fc.assert(
      fc.property(nearTieArb(8, 4), (inst) => {
        const rank = efficiencyRanking(toCandidates(inst));
        const at = new Map<number, number>();
        for (let u = 0; u < rank.freeUnits.length; u++) at.set(rank.freeUnits[u]!, rank.freeActions[u]!);
        for (let q = 0; q < rank.unit.length; q++) {
          const u = rank.unit[q]!;
          expect(rank.fromAction[q]).toBe(at.get(u) ?? 0);
          at.set(u, rank.toAction[q]!);
          if (q > 0) expect(rank.efficiency[q]!).toBeLessThanOrEqual(rank.efficiency[q - 1]!);
        }
      }),
      { numRuns: 300, seed: 1721 },
    );
  });

  it("calibrateBudget hands allocate its budget and inherits the guarantee", () => {
    fc.assert(
      fc.property(nearTieArb(6, 3), budgetArb, (inst, budget) => {
        fc.pre(budget > 0);
        const c = toCandidates(inst);
        const r = calibrateBudget({
          budget,
          allocate: (b) => allocate(c, { budget: b }),
          // an honest cost model: the estimated true spend is the predicted spend
          spend: (a) => ({
            predicted: a.totals.spend,
            estimate: { estimate: a.totals.spend, lower: a.totals.spend, upper: a.totals.spend },
          }),
          criterion: "point",
        });
        const opt = bruteForce(inst, { budget: r.handedBudget });
        expect(r.allocation.totals.value).toBeGreaterThanOrEqual(
          opt - unitValue(inst) - 1e-9 * Math.max(1, opt),
        );
      }),
      { numRuns: 100, seed: 1722 },
    );
  });
});

/**
 * Units whose options all lie on one line value = s x cost, costs multiples of 1/6 (k/6, k/3, k/2,
 * k): any allocation is worth s x its spend, so the optimum is s x the largest spend <= budget
 * that some choice of one option (or none) per unit reaches, a multiple-choice subset sum over
 * sixths. Units repeat a few cost patterns, as in the instance, so the ties are many.
 */
const oneLineArb = fc
  .record({
    slope: fc.integer({ min: 1, max: 3 }),
    patterns: fc.array(
      fc.uniqueArray(
        fc
          .record({ p: fc.integer({ min: 1, max: 24 }), q: fc.constantFrom(1, 2, 3, 6) })
          .map(({ p, q }) => (p * 6) / q),
        { minLength: 1, maxLength: 3, selector: (x) => x },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    counts: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 4, maxLength: 4 }),
    share: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  })
  .map(({ slope, patterns, counts, share }) => {
    // sixths per option; units grouped by pattern (the layout)
    const sixths: number[][] = [];
    patterns.forEach((pat, k) => {
      for (let j = 0; j < counts[k]!; j++) sixths.push(pat);
    });
    let top = 0;
    for (const opts of sixths) top += Math.max(...opts);
    // half-way between two multiples of 1/6: no exact sum sits on the budget
    const budgetSixths = Math.floor(share * top) + 0.5;
    return { slope, sixths, budgetSixths };
  });

/** Largest reachable spend (in sixths) <= cap, one option or none per unit. */
function maxSpendSixths(sixths: readonly (readonly number[])[], cap: number): number {
  const limit = Math.floor(cap);
  let reach = new Uint8Array(limit + 1);
  reach[0] = 1;
  for (const opts of sixths) {
    const next = reach.slice();
    for (let x = 0; x <= limit; x++) {
      if (reach[x] === 0) continue;
      for (const o of opts) if (x + o <= limit) next[x + o] = 1;
    }
    reach = next;
  }
  for (let x = limit; x >= 0; x--) if (reach[x] === 1) return x;
  return 0;
}

describe("one line, many units: against the exact subset-sum optimum", () => {
  it("one budget (and with a loose volume cap): within one unit's value, bound above the optimum", () => {
    fc.assert(
      fc.property(oneLineArb, ({ slope, sixths, budgetSixths }) => {
        const inst: Instance = sixths.map((opts) =>
          opts.map((k) => ({ cost: k / 6, value: slope * (k / 6), channel: 0 })),
        );
        const budget = budgetSixths / 6;
        const opt = (slope * maxSpendSixths(sixths, budgetSixths)) / 6;
        const tol = 1e-9 * Math.max(1, opt);
        const unit = unitValue(inst);
        const c = toCandidates(inst);
        for (const o of [{ budget }, { budget, maxTreated: sixths.length }]) {
          const r = allocate(c, o);
          const msg = `${JSON.stringify(o)} opt ${opt} got ${r.totals.value} (${r.certificate.method})`;
          expect(r.totals.spend, msg).toBeLessThanOrEqual(budget);
          expect(r.totals.value, msg).toBeGreaterThanOrEqual(opt - (o.maxTreated ? 2 : 1) * unit - tol);
          expect(r.totals.value, msg).toBeLessThanOrEqual(opt + tol);
          expect(r.totals.upper_bound, msg).toBeGreaterThanOrEqual(opt - tol);
        }
      }),
      { numRuns: 150, seed: 1724 },
    );
  });
});

describe("near ties and greedy traps against the MILP (javascript-lp-solver)", () => {
  it("one budget at 12 to 30 units: within one unit's value of the MILP optimum", () => {
    fc.assert(
      fc.property(
        nearTieArb(30, 3).filter((inst) => inst.length >= 12),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        (inst, share) => {
          const c = toCandidates(inst);
          let total = 0;
          for (const opts of inst) total += Math.max(0, ...opts.map((o) => o.cost));
          // a budget on a 1/6 grid, a share of what treating everyone at the top would cost
          const budget = Math.round(6 * share * total) / 6;
          const r = allocate(c, { budget });
          const ip = solveExact(c, { budget }, { timeoutMs: 10_000 });
          fc.pre(ip.status === "optimal");
          // javascript-lp-solver reports its objective rounded to 1e-9
          const tol = 1e-7 * Math.max(1, ip.value);
          const msg = `budget ${budget} milp ${ip.value} got ${r.totals.value}`;
          expect(r.totals.value, msg).toBeGreaterThanOrEqual(ip.value - unitValue(inst) - tol);
          expect(r.totals.value, msg).toBeGreaterThanOrEqual(bestSingle(inst, { budget }) - tol);
          expect(r.totals.upper_bound, msg).toBeGreaterThanOrEqual(ip.value - tol);
        },
      ),
      { numRuns: 40, seed: 1723 },
    );
  });
});
