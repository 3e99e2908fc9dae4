import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDuckDbEngine } from "./duckdb-engine.js";
import type { SqlEngine } from "./engine.js";
import { evaluationDiff, inProcessEvaluation, loadLogged, loggedData } from "./test-helpers/logged.js";
import { warehouseEvaluate } from "./warehouse-evaluate.js";

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createDuckDbEngine({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

const T = { table: "logged" };
const POLICY = { table: "policy", columns: { probability: "probability" } };
const MODEL = { table: "q_hat" };

describe("warehouseEvaluate on DuckDB equals the in-process bagged bootstrap", () => {
  for (const c of [
    {
      name: "deterministic policy",
      data: { units: 3000, k: 3, seed: 1 },
      opts: { seed: 7, bags: 500, resamples: 200 },
    },
    {
      name: "stochastic policy, clipped",
      data: { units: 2000, k: 4, seed: 2, stochastic: true },
      opts: { seed: 8, bags: 300, resamples: 100, clip: 2 },
    },
    {
      name: "negative unit keys, 90% level",
      data: { units: 1500, k: 2, seed: 3, offset: -700 },
      opts: { seed: 9, bags: 97, resamples: 150, level: 0.9 },
    },
  ]) {
    it(c.name, async () => {
      const d = loggedData(c.data);
      await loadLogged(engine, d);
      const expected = inProcessEvaluation(d, c.opts);
      const got = await warehouseEvaluate(engine, T, POLICY, MODEL, c.opts);
      expect(got.n).toBe(d.action.length);
      expect(got.kept).toBe(c.opts.resamples);
      const diff = evaluationDiff(expected, got);
      for (const [key, v] of Object.entries(diff)) expect(v, key).toBeLessThan(1e-9);
      // a real interval: it has width and contains its estimate
      expect(got.dr!.value.upper - got.dr!.value.lower).toBeGreaterThan(0.01);
    });
  }

  it("without a reward model or cost column gives IPS and SNIPS of value only", async () => {
    const d = loggedData({ units: 500, k: 3, seed: 4 });
    await loadLogged(engine, d);
    const got = await warehouseEvaluate(engine, T, POLICY, undefined, { seed: 1, cost: false });
    expect(got.dr).toBeUndefined();
    expect(got.ips.cost).toBeUndefined();
    const expected = inProcessEvaluation(d, { seed: 1, bags: 1000, resamples: 200 });
    expect(Math.abs(got.snips.value.upper - expected["snips/value"]!.upper)).toBeLessThan(1e-9);
  });

  it("rejects bad propensities and uncovered units with the table named", async () => {
    const d = loggedData({ units: 200, k: 2, seed: 5 });
    d.propensity[3] = 1.5;
    await loadLogged(engine, d);
    await expect(warehouseEvaluate(engine, T, POLICY, MODEL, { seed: 1 })).rejects.toThrow(
      /propensity outside/,
    );
    d.propensity[3] = 0.5;
    await loadLogged(engine, d);
    await engine.run((await import("./sql.js")).sql`DELETE FROM policy WHERE unit_id = 7`);
    await expect(warehouseEvaluate(engine, T, POLICY, MODEL, { seed: 1 })).rejects.toThrow(
      /no row in policy/,
    );
    await expect(warehouseEvaluate(engine, T, POLICY, MODEL, { seed: 1.5 })).rejects.toThrow(/seed/);
  });
});
