import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AllocationOptions } from "./allocation-options.js";
import { allocate } from "./allocate.js";
import { type Candidates, createCandidates } from "./candidates.js";

// Scores on a 1/8 grid: sums are exact in binary floating point, so the checks below need no
// tolerance games and ties are frequent.
const grid = (lo: number, hi: number) => fc.integer({ min: lo * 8, max: hi * 8 }).map((x) => x / 8);

const rowArb = fc.record({
  action: fc.integer({ min: 1, max: 4 }),
  value: grid(-3, 20),
  cost: fc.oneof({ weight: 1, arbitrary: grid(-3, 0) }, { weight: 6, arbitrary: grid(0, 12) }),
  channel: fc.integer({ min: 0, max: 1 }),
  eligible: fc.boolean().map((b) => (b ? 1 : 0) as number),
});

const instanceArb = fc
  .record({
    nUnits: fc.integer({ min: 1, max: 25 }),
    rows: fc.array(fc.tuple(fc.nat(), rowArb), { minLength: 0, maxLength: 80 }),
  })
  .map(
    ({ nUnits, rows }): Candidates =>
      createCandidates({
        nUnits,
        unit: rows.map(([u]) => u % nUnits),
        action: rows.map(([, r]) => r.action),
        tauValue: rows.map(([, r]) => r.value),
        tauCost: rows.map(([, r]) => r.cost),
        channel: rows.map(([, r]) => r.channel),
        eligible: rows.map(([, r]) => (r.eligible || r.value > 10 ? 1 : 0)),
      }),
  );

const optionsArb: fc.Arbitrary<AllocationOptions> = fc.record(
  {
    budget: grid(0, 80),
    maxTreated: fc.integer({ min: 0, max: 20 }),
    minValuePerCost: grid(0, 3),
    maxCostPerValue: grid(0, 4),
    channelCaps: fc.record({
      1: fc.record({ maxTreated: fc.integer({ min: 0, max: 8 }), budget: grid(0, 30) }),
    }),
    actionCaps: fc.record({
      2: fc.record({ maxTreated: fc.integer({ min: 0, max: 8 }) }, { requiredKeys: [] }),
    }),
  },
  { requiredKeys: [] },
);

function checkFeasible(c: Candidates, o: AllocationOptions, r: ReturnType<typeof allocate>): void {
  const seen = new Set<number>();
  let spend = 0;
  let treated = 0;
  const chTreated = [0, 0];
  const chSpend = [0, 0];
  let a2 = 0;
  for (let u = 0; u < c.nUnits; u++) {
    const i = r.candidate[u]!;
    if (i < 0) {
      expect(r.action[u]).toBe(0);
      continue;
    }
    // one action per unit, from that unit's own eligible rows
    expect(c.unit[i]).toBe(u);
    expect(r.action[u]).toBe(c.action[i]);
    expect(c.eligible![i]).toBe(1);
    expect(seen.has(i)).toBe(false);
    seen.add(i);
    spend += c.tauCost[i]!;
    treated++;
    chTreated[c.channel![i]!]!++;
    chSpend[c.channel![i]!]! += c.tauCost[i]!;
    if (c.action[i] === 2) a2++;
    expect(c.tauValue[i]!).toBeGreaterThan(0);
    if (o.maxCostPerValue !== undefined)
      expect(c.tauCost[i]!).toBeLessThanOrEqual(o.maxCostPerValue * c.tauValue[i]!);
  }
  expect(r.totals.treated).toBe(treated);
  expect(r.totals.spend).toBe(spend);
  if (o.budget !== undefined) expect(spend).toBeLessThanOrEqual(o.budget);
  if (o.maxTreated !== undefined) expect(treated).toBeLessThanOrEqual(o.maxTreated);
  const ch = o.channelCaps?.[1];
  if (ch?.maxTreated !== undefined) expect(chTreated[1]).toBeLessThanOrEqual(ch.maxTreated);
  if (ch?.budget !== undefined) expect(chSpend[1]).toBeLessThanOrEqual(ch.budget);
  const ac = o.actionCaps?.[2];
  if (ac?.maxTreated !== undefined) expect(a2).toBeLessThanOrEqual(ac.maxTreated);
  expect(r.totals.upper_bound).toBeGreaterThanOrEqual(r.totals.objective - 1e-9);
  expect(r.totals.gap).toBeGreaterThanOrEqual(0);
}

describe("allocate properties", () => {
  it("never exceeds the budget or any cap, and gives each unit at most one of its own actions", () => {
    fc.assert(
      fc.property(instanceArb, optionsArb, (c, o) => {
        checkFeasible(c, o, allocate(c, o));
      }),
      { numRuns: 300, seed: 20261128 },
    );
  });

  it("more budget never lowers the value (one budget, with or without floor and pruning caps)", () => {
    fc.assert(
      fc.property(
        instanceArb,
        grid(0, 60),
        grid(0, 30),
        fc.option(grid(0, 3), { nil: undefined }),
        (c, b, extra, floor) => {
          const lo = allocate(c, { budget: b, minValuePerCost: floor });
          const hi = allocate(c, { budget: b + extra, minValuePerCost: floor });
          expect(hi.totals.value).toBeGreaterThanOrEqual(lo.totals.value);
          expect(hi.totals.upper_bound).toBeGreaterThanOrEqual(lo.totals.upper_bound - 1e-9);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("with several constraints, more budget never lowers the proven bound", () => {
    fc.assert(
      fc.property(
        instanceArb,
        grid(0, 60),
        grid(0, 30),
        fc.integer({ min: 0, max: 10 }),
        (c, b, extra, n) => {
          const lo = allocate(c, { budget: b, maxTreated: n });
          const hi = allocate(c, { budget: b + extra, maxTreated: n });
          expect(hi.totals.upper_bound).toBeGreaterThanOrEqual(
            lo.totals.upper_bound - 1e-7 * Math.max(1, lo.totals.upper_bound),
          );
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});
