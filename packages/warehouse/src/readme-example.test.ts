// The README's example, run as a test so it cannot rot.
import { allocate, createCandidates } from "@cia/optimizer";
import { describe, expect, it } from "vitest";
import {
  candidateColumns,
  createDuckDbEngine,
  loadCandidates,
  sql,
  warehouseAllocate,
  warehouseEvaluate,
} from "./index.js";

describe("README example", () => {
  it("allocates and evaluates in DuckDB with the in-process answers", async () => {
    const engine = await createDuckDbEngine();
    // Scores in the engine: one row per (unit, offer), units 0..n-1.
    const candidates = createCandidates({
      nUnits: 3,
      unit: [0, 0, 1, 2],
      action: [1, 2, 1, 1],
      tauValue: [3, 4, 2, 0.5],
      tauCost: [1, 3, 1, -0.2],
    });
    await loadCandidates(engine, "scores", candidates);
    const r = await warehouseAllocate(
      engine,
      { table: "scores", columns: candidateColumns(candidates) },
      { budget: 3 },
    );
    expect(r.totals.value).toBe(allocate(candidates, { budget: 3 }).totals.value); // 5.5
    expect(r.totals.value).toBeCloseTo(5.5, 12);
    expect(r.totals.upper_bound).toBeCloseTo(6.1, 12);
    expect(Array.from(r.action)).toEqual([1, 1, 1]);

    // Channel caps with the budget and the volume cap: the Lagrangian, one multiplier per limit.
    const byChannel = createCandidates({
      nUnits: 4,
      unit: [0, 0, 1, 1, 2, 3],
      action: [1, 2, 1, 2, 1, 2],
      channel: [0, 1, 0, 1, 0, 1], // 0 = email, 1 = sms
      tauValue: [3, 5, 2, 4.5, 1.5, 4],
      tauCost: [1, 2, 1, 2, 1, 2],
    });
    await loadCandidates(engine, "scores_ch", byChannel);
    const limits = { budget: 5, maxTreated: 3, channelCaps: { 1: { maxTreated: 1 } } };
    const c = await warehouseAllocate(
      engine,
      { table: "scores_ch", columns: candidateColumns(byChannel) },
      limits,
      { dualSums: "ordered" },
    );
    const inProcess = allocate(byChannel, {
      ...limits,
      dual: { activeSetMinOptions: Number.POSITIVE_INFINITY },
    });
    expect(c.certificate.method).toBe("lagrangian");
    expect(c.totals.value).toBe(9);
    expect(c.totals.upper_bound).toBe(inProcess.totals.upper_bound); // to the last bit
    expect(Math.abs(c.totals.upper_bound - 9)).toBeLessThan(1e-11);
    expect(Array.from(c.action)).toEqual([1, 2, 1, 0]);
    expect(c.constraints.map((k) => [k.name, k.used])).toEqual([
      ["budget", 4],
      ["max_treated", 3],
      ["channel:1:max_treated", 1],
    ]);
    expect(c.constraints.map((k) => k.multiplier)).toEqual(inProcess.constraints.map((k) => k.multiplier));

    // A log (unit_id, action, propensity, value, cost), the policy to evaluate, reward predictions.
    await engine.run(sql`CREATE TABLE logged AS SELECT range AS unit_id, CAST(range % 2 AS INTEGER) AS action,
      0.5 AS propensity, CAST(range % 7 AS DOUBLE) AS value, CAST(range % 2 AS DOUBLE) AS cost FROM range(10000)`);
    await engine.run(sql`CREATE TABLE policy AS SELECT range AS unit_id, 1 AS action FROM range(10000)`);
    await engine.run(sql`CREATE TABLE q_hat AS SELECT u.range AS unit_id, a.range AS action, 3.0 AS q_value,
      CAST(a.range AS DOUBLE) AS q_cost FROM range(10000) u, range(2) a`);
    const e = await warehouseEvaluate(
      engine,
      { table: "logged" },
      { table: "policy" },
      { table: "q_hat" },
      { seed: 7 },
    );
    expect(e.dr!.cost!.estimate).toBeCloseTo(1, 12); // every treated unit costs 1
    expect(e.dr!.value.lower).toBeLessThan(e.dr!.value.estimate);
    expect(e.dr!.value.upper).toBeGreaterThan(e.dr!.value.estimate);
    await engine.close();
  });
});
