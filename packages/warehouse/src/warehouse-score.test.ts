import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDuckDbEngine } from "./duckdb-engine.js";
import type { SqlEngine } from "./engine.js";
import { sql } from "./sql.js";
import { scoringFixture } from "./test-helpers/scoring.js";
import { warehouseScore } from "./warehouse-score.js";

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createDuckDbEngine({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

describe("warehouseScore equals model.predict", () => {
  for (const loss of ["squared_error", "logistic"] as const) {
    for (const mode of ["sql", "stream"] as const) {
      it(`${loss}, ${mode}`, async () => {
        const { model, columns, x } = scoringFixture(loss);
        await engine.load("features", columns);
        const r = await warehouseScore(
          engine,
          { table: "features", key: "unit_id", features: ["x0", "x1", "x2", "x3"] },
          model,
          { mode, outputTable: "scored" },
        );
        expect(r.rows).toBe(x.rows);
        const expected = model.predict(x);
        const rows = await engine.query(sql`SELECT unit_id, score FROM scored ORDER BY unit_id`);
        expect(rows.length).toBe(x.rows);
        let worst = 0;
        rows.forEach((row, i) => {
          expect(row.unit_id).toBe(i * 3 + 1);
          worst = Math.max(worst, Math.abs(Number(row.score) - expected[i]!));
        });
        expect(worst).toBeLessThan(mode === "stream" ? 1e-15 : 1e-12);
      });
    }
  }
});
