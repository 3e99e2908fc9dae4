import { describe, expect, it } from "vitest";
import {
  breakStepSql,
  bucketSumsSql,
  choiceSql,
  fillChunkSql,
  floorCutSql,
  greedyBucketedSql,
  greedySql,
  hullPassSql,
  hullStartSql,
  incrementsSql,
  pointsSql,
  pruneCountsSql,
  resourceHullSql,
  scoresIdents,
  singleItemSql,
} from "./allocation-sql.js";
import { DIALECTS, type DialectName } from "./dialect.js";
import {
  boxSql,
  currentSql,
  dualSql,
  fillCandChunkSql,
  fillCandidatesSql,
  keptSql,
  lagrangeChoiceSql,
  lagrangeSingleSql,
  repairChunkSql,
  roundedSql,
} from "./lagrangian-sql.js";
import { bagSumsSql, evaluationIdents, replicatesSql, roundColumns, roundsSql } from "./evaluation-sql.js";
import { type Sql, renderSql } from "./sql.js";

// The SQL written for every dialect, checked against files under __golden__/<dialect>/. Spark SQL
// and Trino cannot run here: these files are what a reviewer with those engines runs, and any
// change to the emitted SQL shows up as a diff of them.
const scores = scoresIdents({ table: "analytics.scores", columns: { row: "row_id", eligible: "eligible" } });
const evalIds = evaluationIdents(
  { table: "analytics.logged" },
  { table: "analytics.assignment", columns: { probability: "probability" } },
  { table: "analytics.q_hat" },
  true,
);
const cols = roundColumns(true, true);
const scopedScores = scoresIdents({
  table: "analytics.scores",
  columns: { row: "row_id", eligible: "eligible", channel: "channel" },
});
const scope = { channel: true, actions: [2, 3] };
const scopedLimits = [
  { name: "budget", kind: "cost", cap: 1000 },
  { name: "channel:1:max_treated", kind: "count", scope: "channel", code: 1, cap: 50 },
  { name: "action:2:budget", kind: "cost", scope: "action", code: 2, cap: 120 },
] as const;
const limits = [
  { name: "budget", kind: "cost", cap: 1000 },
  { name: "max_treated", kind: "count", cap: 200 },
] as const;

function statements(d: DialectName): Record<string, Sql> {
  const D = DIALECTS[d];
  return {
    "allocate-1-points": pointsSql(scores, D, { kind: "mean" }, 2.5),
    "allocate-2-hull-start": hullStartSql(),
    "allocate-2-hull-pass": hullPassSql(D, "cia_wh_hull_prev"),
    "allocate-3-increments-budget": incrementsSql(D, "cost"),
    "allocate-3-increments-volume": incrementsSql(D, "count"),
    "allocate-4-greedy": greedySql(D, 1000),
    "allocate-4-greedy-bucketed-sums": bucketSumsSql(D, { lo: 0.25, width: 0.001 }),
    "allocate-4-greedy-bucketed": greedyBucketedSql(D, { lo: 0.25, width: 0.001, kb: 812 }, 17.5),
    "allocate-5-break": breakStepSql(),
    "allocate-5-fill-chunk": fillChunkSql(D, 3.5, { slope: 1.25, unit: 7, q: 1 }, 4096),
    "allocate-6-single-item": singleItemSql(D, "cost", 1000),
    "allocate-7-choice": choiceSql("greedy"),
    "allocate-8-prune-counts": pruneCountsSql(D),
    "allocate-2-floor-cut": floorCutSql(D, 1.5, "cia_wh_hull_prev"),
    "allocate-8-prune-counts-floor": pruneCountsSql(D, true),
    "allocate-1-points-scoped": pointsSql(scopedScores, D, { kind: "mean" }, undefined, scope),
    "allocate-2-hull-start-scoped-floor": hullStartSql(scope, true),
    "allocate-2-resource-hull-channel": resourceHullSql(D, scopedLimits[1], scope),
    "allocate-3-increments-resource": incrementsSql(D, "cost", true),
    "lagrangian-1-kept": keptSql(D, limits),
    "lagrangian-1-kept-scoped": keptSql(D, scopedLimits),
    "lagrangian-9-single-item-scoped": lagrangeSingleSql(D, scopedLimits, true),
    "lagrangian-2-box": boxSql(D, limits, [2.5, 0]),
    "lagrangian-3-dual": dualSql(D, [0.75, 1.25]),
    "lagrangian-4-repair-chunk": repairChunkSql(D, 2, { s: 0.5, unit: 3 }, 4096),
    "lagrangian-5-current": currentSql(2),
    "lagrangian-6-fill-candidates": fillCandidatesSql(D, [0.75, 1.25], [990, 200], [1000, 200]),
    "lagrangian-7-fill-chunk": fillCandChunkSql(D, 2, { s: 0.5, unit: 3, pos: 2 }, 4096),
    "lagrangian-8-rounded": roundedSql(),
    "lagrangian-9-single-item": lagrangeSingleSql(D, limits),
    "lagrangian-10-choice": lagrangeChoiceSql(),
    "evaluate-1-rounds": roundsSql(evalIds, D, { bags: 100000, clip: 50 }),
    "evaluate-2-bag-sums": bagSumsSql(cols),
    "evaluate-3-replicates": replicatesSql(D, cols, { resamples: 200, seed: 7 }),
  };
}

describe("golden SQL", () => {
  for (const d of ["duckdb", "postgres", "spark", "trino"] as const) {
    it(`${d}: emitted statements match __golden__/${d}`, async () => {
      for (const [name, q] of Object.entries(statements(d))) {
        const { text, params } = renderSql(q, DIALECTS[d]);
        const body = `-- ${name} (${d}); parameters: ${JSON.stringify(params)}\n${text}\n`;
        await expect(body).toMatchFileSnapshot(`__golden__/${d}/${name}.sql`);
        // placeholders and quoting of the dialect, and no user value spliced in
        if (d === "spark" || d === "trino") {
          expect(text).not.toMatch(/\$\d/);
          expect(text.split("?").length - 1).toBe(params.length);
        } else {
          const used = [...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
          expect(used.length === 0 ? 0 : Math.max(...used)).toBe(params.length);
        }
      }
    });
  }

  it("quotes identifiers per dialect and binds values", () => {
    const q = pointsSql(scores, DIALECTS.spark, { kind: "mean" }, 2.5);
    const spark = renderSql(q, DIALECTS.spark);
    expect(spark.text).toContain("`analytics`.`scores`");
    expect(spark.params).toEqual([2.5]);
    const pg = renderSql(q, DIALECTS.postgres);
    expect(pg.text).toContain('"analytics"."scores"');
    expect(pg.text).toContain("$1");
  });
});
