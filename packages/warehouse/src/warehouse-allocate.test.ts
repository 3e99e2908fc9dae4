import { CiaError } from "@cia/core";
import { type AllocationOptions, type Candidates, allocate, createCandidates } from "@cia/optimizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDuckDbEngine } from "./duckdb-engine.js";
import type { SqlEngine } from "./engine.js";
import { candidateColumns, loadCandidates } from "./load-candidates.js";
import { compareAllocations, randomCandidates } from "./test-helpers/instances.js";
import { warehouseAllocate } from "./warehouse-allocate.js";

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createDuckDbEngine({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

const cases: {
  name: string;
  inst: Parameters<typeof randomCandidates>[0];
  options: (c: number) => AllocationOptions;
}[] = [
  {
    name: "binding budget",
    inst: { units: 1500, actions: 4, seed: 1 },
    options: (s) => ({ budget: s * 0.3 }),
  },
  {
    name: "tight budget",
    inst: { units: 1500, actions: 4, seed: 2 },
    options: (s) => ({ budget: s * 0.02 }),
  },
  { name: "slack budget", inst: { units: 800, actions: 3, seed: 3 }, options: (s) => ({ budget: s * 5 }) },
  {
    name: "zero budget, cost-saving options",
    inst: { units: 800, actions: 4, seed: 4, negativeCostShare: 0.15 },
    options: () => ({ budget: 0 }),
  },
  {
    name: "budget, cost-saving and ineligible",
    inst: { units: 1200, actions: 5, seed: 5, negativeCostShare: 0.1, ineligibleShare: 0.1 },
    options: (s) => ({ budget: s * 0.4 }),
  },
  {
    name: "integer scores (ties)",
    inst: { units: 1500, actions: 4, seed: 6, integer: true },
    options: (s) => ({ budget: Math.round(s * 0.25) }),
  },
  { name: "volume cap", inst: { units: 1500, actions: 4, seed: 7 }, options: () => ({ maxTreated: 400 }) },
  {
    name: "unconstrained",
    inst: { units: 1000, actions: 4, seed: 8, negativeCostShare: 0.1 },
    options: () => ({}),
  },
  {
    name: "cost per value cap",
    inst: { units: 1000, actions: 4, seed: 9 },
    options: (s) => ({ budget: s * 0.3, maxCostPerValue: 0.4 }),
  },
  {
    name: "efficiency floor alone",
    inst: { units: 1000, actions: 4, seed: 41, negativeCostShare: 0.05 },
    options: () => ({ minValuePerCost: 1.2 }),
  },
  {
    name: "efficiency floor with a budget",
    inst: { units: 1000, actions: 4, seed: 42 },
    options: (s) => ({ budget: s * 0.3, minValuePerCost: 3.5 }),
  },
  {
    name: "efficiency floor with a volume cap",
    inst: { units: 1000, actions: 4, seed: 43 },
    options: () => ({ maxTreated: 300, minValuePerCost: 1.5 }),
  },
  {
    name: "efficiency floor with the budget and the volume cap (Lagrangian)",
    inst: { units: 800, actions: 4, seed: 44, negativeCostShare: 0.05 },
    options: (s) => ({ budget: s * 0.2, maxTreated: 250, minValuePerCost: 2.5 }),
  },
  {
    name: "risk lower",
    inst: { units: 1000, actions: 4, seed: 10, withLower: true },
    options: (s) => ({ budget: s * 0.3, risk: "lower" }),
  },
];

describe("warehouseAllocate on DuckDB equals allocate in process", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const cand = randomCandidates(c.inst);
      let totalCost = 0;
      for (let i = 0; i < cand.tauCost.length; i++) totalCost += Math.max(0, cand.tauCost[i]!);
      const options = c.options(totalCost / c.inst.actions);
      const expected = allocate(cand, options);
      await loadCandidates(engine, "scores", cand);
      const got = await warehouseAllocate(
        engine,
        { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits },
        options,
      );
      // the bucketed greedy (a GROUP BY and a window over the break bucket) gives the same answer
      const bucketed = await warehouseAllocate(
        engine,
        { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits },
        options,
        { greedy: "bucketed", buckets: 64 },
      );
      const cmpB = compareAllocations(expected, bucketed);
      expect(cmpB.worst).toBeLessThanOrEqual(1e-9);
      expect(cmpB.actionsDiffer).toBe(0);
      expect(bucketed.certificate.rounding).toBe(expected.certificate.rounding);
      const cmp = compareAllocations(expected, got);
      expect(cmp.diff).toBeDefined();
      expect(cmp.worst).toBeLessThanOrEqual(1e-9);
      expect(cmp.actionsDiffer).toBe(0);
      expect(cmp.candidatesDiffer).toBe(0);
      expect(got.prune).toEqual(expected.prune);
      if (options.minValuePerCost !== undefined) expect(got.prune.below_efficiency_floor).toBeGreaterThan(0);
      expect(got.totals.treated).toBe(expected.totals.treated);
      expect(got.certificate.method).toBe(expected.certificate.method);
      expect(got.certificate.fractional.length).toBe(expected.certificate.fractional.length);
      for (let i = 0; i < got.certificate.fractional.length; i++) {
        const a = got.certificate.fractional[i]!;
        const b = expected.certificate.fractional[i]!;
        expect({ ...a, fraction: 0 }).toEqual({ ...b, fraction: 0 });
        expect(Math.abs(a.fraction - b.fraction)).toBeLessThan(1e-9);
      }
      expect(got.certificate.gap_limit).toBeCloseTo(expected.certificate.gap_limit, 12);
      expect(got.constraints.map((r) => r.name)).toEqual(expected.constraints.map((r) => r.name));
      got.constraints.forEach((r, i) => {
        expect(Math.abs(r.used - expected.constraints[i]!.used)).toBeLessThan(1e-9 * Math.max(1, r.cap));
        expect(Math.abs(r.multiplier - expected.constraints[i]!.multiplier)).toBeLessThan(1e-12);
      });
    });
  }

  const fixed: { name: string; cand: Candidates; options: AllocationOptions }[] = [
    {
      // the greedy trap: the efficient small option blocks the one big option worth far more
      name: "greedy trap (best single item)",
      cand: createCandidates({
        nUnits: 3,
        unit: [0, 1, 2],
        action: [1, 1, 1],
        tauValue: [2, 10, 0.5],
        tauCost: [1, 10, 5],
      }),
      options: { budget: 10 },
    },
    {
      // options on one line (value = 3 x cost at costs k/3): a few ulps off the chord either way
      name: "collinear options",
      cand: createCandidates({
        nUnits: 40,
        unit: Array.from({ length: 160 }, (_, i) => i >> 2),
        action: Array.from({ length: 160 }, (_, i) => (i % 4) + 1),
        tauCost: Array.from({ length: 160 }, (_, i) => ((i % 4) + 1 + (i >> 2) / 7) / 3),
        tauValue: Array.from(
          { length: 160 },
          (_, i) => 3 * (((i % 4) + 1 + (i >> 2) / 7) / 3) * (1 + (i >> 2) / 100),
        ),
      }),
      options: { budget: 23.7 },
    },
    {
      name: "volume cap binding on equal values",
      cand: createCandidates({
        nUnits: 4,
        unit: [0, 1, 2, 3],
        action: [1, 1, 1, 2],
        tauValue: [1, 1, 1, 1],
        tauCost: [1, 2, 3, 1],
      }),
      options: { maxTreated: 2 },
    },
  ];
  for (const c of fixed) {
    it(c.name, async () => {
      const expected = allocate(c.cand, c.options);
      await loadCandidates(engine, "scores", c.cand);
      const got = await warehouseAllocate(
        engine,
        { table: "scores", columns: candidateColumns(c.cand) },
        c.options,
      );
      const cmp = compareAllocations(expected, got);
      expect(cmp.worst).toBeLessThanOrEqual(1e-9);
      expect(cmp.actionsDiffer).toBe(0);
      const { fractional: fg, dual_lower_bound: dg, ...restGot } = got.certificate;
      const { fractional: fe, dual_lower_bound: de, ...restExpected } = expected.certificate;
      expect(restGot).toEqual(restExpected);
      expect(Math.abs(dg - de)).toBeLessThan(1e-9);
      expect(fg.map((f) => ({ ...f, fraction: Math.round(f.fraction * 1e9) }))).toEqual(
        fe.map((f) => ({ ...f, fraction: Math.round(f.fraction * 1e9) })),
      );
    });
  }

  it("a sweep of small random instances (ties, cost-saving options, both limits, many budgets)", async () => {
    let worst = 0;
    let trapped = 0;
    for (let seed = 100; seed < 136; seed++) {
      const cand = randomCandidates({
        units: 12 + (seed % 7) * 5,
        actions: 2 + (seed % 4),
        seed,
        integer: seed % 3 === 0,
        negativeCostShare: seed % 5 === 0 ? 0.2 : 0,
        ineligibleShare: 0.05,
      });
      let total = 0;
      for (const x of cand.tauCost) total += Math.max(0, x);
      const options: AllocationOptions =
        seed % 4 === 3
          ? { maxTreated: 1 + (seed % 9) }
          : { budget: total * [0.01, 0.05, 0.2, 0.6][seed % 4]! };
      const expected = allocate(cand, options);
      await loadCandidates(engine, "scores", cand);
      const got = await warehouseAllocate(
        engine,
        { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits },
        options,
      );
      // the bucketed greedy (a GROUP BY and a window over the break bucket) gives the same answer
      const bucketed = await warehouseAllocate(
        engine,
        { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits },
        options,
        { greedy: "bucketed", buckets: 64 },
      );
      const cmpB = compareAllocations(expected, bucketed);
      expect(cmpB.worst).toBeLessThanOrEqual(1e-9);
      expect(cmpB.actionsDiffer).toBe(0);
      expect(bucketed.certificate.rounding).toBe(expected.certificate.rounding);
      const cmp = compareAllocations(expected, got);
      worst = Math.max(worst, cmp.worst);
      expect(cmp.actionsDiffer, `seed ${seed}`).toBe(0);
      expect(got.certificate.rounding, `seed ${seed}`).toBe(expected.certificate.rounding);
      expect(got.prune, `seed ${seed}`).toEqual(expected.prune);
      if (expected.certificate.rounding === "single_item") trapped++;
    }
    expect(worst).toBeLessThanOrEqual(1e-9);
    // the sweep reaches the greedy trap at least once (tiny budgets on few units)
    expect(trapped).toBeGreaterThan(0);
  });

  it("risk-aware mode on mean - z * se, and a budget equal to an allocation's own spend", async () => {
    const base = randomCandidates({ units: 700, actions: 4, seed: 14 });
    const se = Float64Array.from(base.tauValue, (v, i) => Math.abs(v) * 0.1 + (i % 7) / 20);
    const cand = createCandidates({
      nUnits: base.nUnits,
      unit: base.unit,
      action: base.action,
      tauValue: base.tauValue,
      tauCost: base.tauCost,
      eligible: base.eligible,
      tauValueSe: se,
    });
    await loadCandidates(engine, "scores", cand);
    const t = { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits };
    const first = allocate(cand, { budget: 900, risk: { z: 1.5 } });
    for (const options of [
      { budget: 900, risk: { z: 1.5 } },
      { budget: first.totals.spend, risk: { z: 1.5 } },
    ] as const) {
      const expected = allocate(cand, options);
      const got = await warehouseAllocate(engine, t, options);
      const cmp = compareAllocations(expected, got);
      expect(cmp.worst).toBeLessThanOrEqual(1e-9);
      expect(cmp.actionsDiffer).toBe(0);
    }
  });

  it("writes the assignment to a table and can leave the arrays in the engine", async () => {
    const cand = randomCandidates({ units: 300, actions: 3, seed: 11 });
    await loadCandidates(engine, "scores", cand);
    const r = await warehouseAllocate(
      engine,
      { table: "scores", columns: candidateColumns(cand) },
      { budget: 200 },
      { fetchAssignment: false, assignmentTable: "assignment" },
    );
    expect(r.action.length).toBe(0);
    const rows = await engine.query(
      (await import("./sql.js")).sql`SELECT COUNT(*) AS n, SUM(tau_cost) AS spend FROM assignment`,
    );
    expect(rows[0]!.n).toBe(r.totals.treated);
    expect(Math.abs(Number(rows[0]!.spend) - r.totals.spend)).toBeLessThan(1e-9);
  });

  it("refuses what it does not implement and bad names", async () => {
    const cand = randomCandidates({ units: 50, actions: 2, seed: 12 });
    await loadCandidates(engine, "scores", cand);
    const t = { table: "scores", columns: candidateColumns(cand) };
    await expect(
      warehouseAllocate(engine, t, { budget: 10, channelCaps: { 1: { maxTreated: 2 } } }),
    ).rejects.toThrow(/channel column/);
    await expect(warehouseAllocate(engine, t, { minValuePerCost: -1 })).rejects.toThrow(/minValuePerCost/);
    await expect(warehouseAllocate(engine, t, { budget: -1 })).rejects.toThrow(/budget/);
    await expect(
      warehouseAllocate(engine, { table: "scores; DROP TABLE scores" }, { budget: 1 }),
    ).rejects.toSatisfy((e: unknown) => CiaError.isInstance(e) && e.code === "invalid_identifier");
  });
});
