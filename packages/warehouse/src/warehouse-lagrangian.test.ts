import { type AllocationOptions, allocate } from "@cia/optimizer";
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

/** Budget and volume cap as shares of the total positive cost and of the units. */
const cases: {
  name: string;
  inst: Parameters<typeof randomCandidates>[0];
  budget: number;
  volume: number;
}[] = [
  { name: "both binding", inst: { units: 1200, actions: 4, seed: 31 }, budget: 0.15, volume: 0.3 },
  {
    name: "volume binding, budget slack",
    inst: { units: 1000, actions: 4, seed: 32 },
    budget: 0.8,
    volume: 0.2,
  },
  {
    name: "budget binding, volume slack",
    inst: { units: 1000, actions: 3, seed: 33 },
    budget: 0.05,
    volume: 0.9,
  },
  {
    name: "cost-saving and ineligible options",
    inst: { units: 900, actions: 5, seed: 34, negativeCostShare: 0.1, ineligibleShare: 0.1 },
    budget: 0.1,
    volume: 0.25,
  },
  {
    name: "integer scores (ties)",
    inst: { units: 800, actions: 4, seed: 35, integer: true },
    budget: 0.2,
    volume: 0.3,
  },
  {
    name: "risk lower",
    inst: { units: 800, actions: 4, seed: 36, withLower: true },
    budget: 0.2,
    volume: 0.2,
  },
];

describe("warehouseAllocate with the budget and the volume cap (Lagrangian) equals allocate in process", () => {
  const worst: number[] = [];
  const worstAbs: number[] = [];
  for (const c of cases) {
    it(c.name, async () => {
      const cand = randomCandidates(c.inst);
      let total = 0;
      for (const x of cand.tauCost) total += Math.max(0, x);
      const options: AllocationOptions = {
        budget: (total / c.inst.actions) * c.budget,
        maxTreated: Math.round(cand.nUnits * c.volume),
        ...(c.inst.withLower ? { risk: "lower" as const } : {}),
      };
      const expected = allocate(cand, options);
      await loadCandidates(engine, "scores", cand);
      const got = await warehouseAllocate(
        engine,
        { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits },
        options,
      );
      const cmp = compareAllocations(expected, got);
      worst.push(cmp.worst);
      worstAbs.push(Math.max(...Object.values(cmp.diff)));
      expect(cmp.worst, JSON.stringify(cmp.diff)).toBeLessThanOrEqual(1e-9);
      expect(cmp.actionsDiffer).toBe(0);
      expect(cmp.candidatesDiffer).toBe(0);
      expect(got.prune).toEqual(expected.prune);
      const { dual_lower_bound: dg, ...restGot } = got.certificate;
      const { dual_lower_bound: de, ...restExpected } = expected.certificate;
      expect(restGot).toEqual(restExpected);
      expect(Math.abs(dg - de)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(de)));
      got.constraints.forEach((r, i) => {
        const e = expected.constraints[i]!;
        expect(r.name).toBe(e.name);
        expect(Math.abs(r.used - e.used)).toBeLessThanOrEqual(1e-9 * Math.max(1, r.cap));
        expect(Math.abs(r.multiplier - e.multiplier)).toBeLessThanOrEqual(1e-9 * Math.max(1, e.multiplier));
      });
    });
  }

  it("the greedy trap under two limits (the best single item)", async () => {
    // found by a search: the roundings from the best dual points are worth less than one option
    const cand = randomCandidates({ units: 8, actions: 3, seed: 5 });
    let total = 0;
    for (const x of cand.tauCost) total += Math.max(0, x);
    const options = { budget: total * 0.05, maxTreated: 2 };
    const expected = allocate(cand, options);
    expect(expected.certificate.rounding).toBe("single_item");
    await loadCandidates(engine, "scores", cand);
    const got = await warehouseAllocate(
      engine,
      { table: "scores", columns: candidateColumns(cand) },
      options,
    );
    const cmp = compareAllocations(expected, got);
    expect(cmp.worst).toBeLessThanOrEqual(1e-9);
    expect(cmp.actionsDiffer).toBe(0);
    const { dual_lower_bound: dg, ...restGot } = got.certificate;
    const { dual_lower_bound: de, ...restExpected } = expected.certificate;
    expect(restGot).toEqual(restExpected);
    expect(Math.abs(dg - de)).toBeLessThanOrEqual(1e-12 * Math.abs(de));
  });

  it("a sweep of small instances (ties, cost-saving options, tight volume caps)", async () => {
    let sameIterations = 0;
    let worstSweep = 0;
    for (let seed = 200; seed < 230; seed++) {
      const cand = randomCandidates({
        units: 10 + (seed % 7) * 4,
        actions: 2 + (seed % 4),
        seed,
        integer: seed % 3 === 0,
        negativeCostShare: seed % 5 === 0 ? 0.2 : 0,
        ineligibleShare: 0.05,
      });
      let total = 0;
      for (const x of cand.tauCost) total += Math.max(0, x);
      const options: AllocationOptions = {
        budget: total * [0.01, 0.05, 0.2, 0.5][seed % 4]!,
        maxTreated: seed % 10 === 0 ? 1 : 1 + (seed % 6),
      };
      const expected = allocate(cand, options);
      await loadCandidates(engine, "scores", cand);
      const got = await warehouseAllocate(
        engine,
        { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits },
        options,
      );
      const cmp = compareAllocations(expected, got);
      worstSweep = Math.max(worstSweep, cmp.worst);
      worstAbs.push(Math.max(...Object.values(cmp.diff)));
      expect(cmp.worst, `seed ${seed} ${JSON.stringify(cmp.diff)}`).toBeLessThanOrEqual(1e-9);
      expect(cmp.actionsDiffer, `seed ${seed}`).toBe(0);
      expect(got.certificate.rounding, `seed ${seed}`).toBe(expected.certificate.rounding);
      // The duals are summed in another order (the engine's sum, not a Kahan loop), so the cutting
      // planes can stop an iteration or two apart at the same bound.
      if (got.certificate.iterations === expected.certificate.iterations) sameIterations++;
    }
    worst.push(worstSweep);
    expect(sameIterations).toBeGreaterThan(20);
    console.info(
      `lagrangian: largest difference from in process over the cases ${Math.max(...worstAbs)} (relative ${Math.max(...worst)})`,
    );
  });
});
