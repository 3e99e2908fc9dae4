import { CiaError } from "@cia/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDuckDbEngine } from "./duckdb-engine.js";
import type { SqlEngine } from "./engine.js";
import { candidateColumns, loadCandidates } from "./load-candidates.js";
import { randomCandidates } from "./test-helpers/instances.js";
import {
  SCOPED_CASES,
  bothAllocations,
  expectSameAllocation,
  orderedSumsProblem,
  scopedProblem,
  scopedSweep,
  scopedTraps,
} from "./test-helpers/scoped-cases.js";
import { warehouseAllocate } from "./warehouse-allocate.js";

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createDuckDbEngine({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

describe("warehouseAllocate with channel and action caps equals allocate in process (DuckDB)", () => {
  for (const c of SCOPED_CASES) {
    it(c.name, async () => {
      const { cand, options } = scopedProblem(c);
      await loadCandidates(engine, "scores", cand);
      const { expected, got } = await bothAllocations(engine, cand, options);
      expectSameAllocation(expected, got, c.name, { cand, options });
      // the cap binds (the case tests something)
      expect(expected.constraints.some((k) => k.multiplier > 0)).toBe(true);
    });
  }

  it("a sweep of small instances (every scoped combination, ties, cost-saving options)", async () => {
    let worst = 0;
    const methods = new Set<string>();
    for (const { cand, options, seed } of scopedSweep(Array.from({ length: 40 }, (_, i) => 300 + i))) {
      await loadCandidates(engine, "scores", cand);
      const { expected, got } = await bothAllocations(engine, cand, options);
      worst = Math.max(worst, expectSameAllocation(expected, got, `seed ${seed}`, { cand, options }));
      methods.add(expected.certificate.method);
    }
    expect([...methods].sort()).toEqual(["hull_greedy", "lagrangian"]);
    console.info(`scoped caps: largest difference from in process ${worst}`);
  });

  it("the greedy trap: the best single option under one channel cap, and with the budget", async () => {
    for (const { cand, options, label } of scopedTraps()) {
      await loadCandidates(engine, "scores", cand);
      const { expected, got } = await bothAllocations(engine, cand, options);
      expect(expected.certificate.rounding, label).toBe("single_item");
      expectSameAllocation(expected, got, label, { cand, options });
    }
  });

  it("dualSums ordered: the in-process cutting planes to the last bit", async () => {
    const { cand, options } = orderedSumsProblem(3000);
    await loadCandidates(engine, "scores", cand);
    const { expected, got } = await bothAllocations(engine, cand, options, { dualSums: "ordered" });
    expectSameAllocation(expected, got, "ordered", { cand, options });
    expect(got.certificate.iterations).toBe(expected.certificate.iterations);
    expect(got.totals.upper_bound).toBe(expected.totals.upper_bound);
    expect(got.totals.objective).toBe(expected.totals.objective);
    expect(got.constraints.map((k) => k.multiplier)).toEqual(expected.constraints.map((k) => k.multiplier));
  });

  it("the bucketed greedy with one channel cap", async () => {
    const cand = randomCandidates({ units: 700, actions: 4, seed: 70, channels: 3 });
    const options = { channelCaps: { 1: { maxTreated: 60 } } };
    await loadCandidates(engine, "scores", cand);
    const { expected, got } = await bothAllocations(engine, cand, options, {
      greedy: "bucketed",
      buckets: 64,
    });
    expectSameAllocation(expected, got, "bucketed", { cand, options });
  });

  it("refuses channel caps without a channel column and bad cap keys", async () => {
    const cand = randomCandidates({ units: 50, actions: 2, seed: 12 });
    await loadCandidates(engine, "scores", cand);
    const t = { table: "scores", columns: candidateColumns(cand) };
    const code = (e: unknown) => (CiaError.isInstance(e) ? e.code : undefined);
    for (const options of [
      { channelCaps: { 1: { maxTreated: 2 } } },
      { actionCaps: { 0: { maxTreated: 2 } } },
      { actionCaps: { 1: { budget: Number.NaN } } },
    ])
      await expect(warehouseAllocate(engine, t, options).catch(code)).resolves.toBe("invalid_option");
  });
});
