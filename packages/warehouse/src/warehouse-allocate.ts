import { CiaError } from "@cia/core";
import type {
  AllocationOptions,
  AllocationResult,
  CertificateReport,
  ConstraintReport,
  PruneCounts,
} from "@cia/optimizer";
import {
  STAGES,
  type ScopeClasses,
  type ScoresTable,
  chCol,
  coefficientSql,
  resourceHullSql,
  type ValueSource,
  choiceSql,
  dualValueSql,
  breakStepSql,
  bucketSumsSql,
  fillChunkSql,
  floorCutSql,
  greedyBucketedSql,
  singleItemSql,
  greedySql,
  hullPassSql,
  hullStartSql,
  incrementsSql,
  pointsSql,
  pruneCountsSql,
  scoresIdents,
} from "./allocation-sql.js";
import type { SqlEngine } from "./engine.js";
import { sqlLagrangian } from "./warehouse-lagrangian.js";
import { checkLimit, warehouseLimits } from "./warehouse-limits.js";
import type { LagrangianLimit } from "./lagrangian-sql.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import { type Sql, ident, joinSql, rawSql, sql } from "./sql.js";

/** Options of {@link warehouseAllocate} beyond the allocation's own. */
export interface WarehouseAllocateOptions {
  /**
   * Fetch the per-unit `action` and `candidate` arrays into the result (default true). With
   * false they are empty and the assignment stays in the engine (see `assignmentTable`).
   */
  fetchAssignment?: boolean | undefined;
  /** Also write the assignment (`unit, action, row_id, tau_value, tau_cost`) to this table. */
  assignmentTable?: string | undefined;
  /** Fill-pass candidates fetched per round trip (default 4096, the in-process chunk). */
  fillChunk?: number | undefined;
  /**
   * How the LP's prefix is found: "window" (default: one window over all steps by slope) or
   * "bucketed" (linear slope buckets, a GROUP BY, and a window over the break bucket only: for
   * engines that run an unpartitioned window on one worker). Both give the same answer.
   */
  greedy?: "window" | "bucketed" | undefined;
  /** Buckets of the bucketed greedy (default 4096). */
  buckets?: number | undefined;
  /**
   * Several limits: how the dual's sums are taken. "compensated" (default): the engine's
   * compensated (DuckDB) or exact (PostgreSQL) sums, no sort. "ordered": unit by unit like
   * @cia/optimizer's loop (a plain sum of each limit's use; DuckDB: Kahan's sum of the values,
   * PostgreSQL: their exact sum), so the cutting planes see the in-process doubles and take its
   * multipliers to the last bit (in-process without the active-set box, which sums differently:
   * `dual.activeSetMinOptions`); about 2x the time of each dual evaluation (a sort per pass).
   */
  dualSums?: "ordered" | "compensated" | undefined;
}

function unsupported(option: string, why: string): never {
  throw new CiaError<WarehouseErrorCode>(
    "unsupported_option",
    `${option} is not supported by warehouseAllocate (${why}); use allocate from @cia/optimizer in process`,
    { option },
  );
}

async function stage(engine: SqlEngine, name: string, body: Sql): Promise<void> {
  const t = ident(name);
  const t0 = Date.now();
  await engine.run(engine.dialect.dropStage(t));
  await engine.run(engine.dialect.createStage(t, body));
  // CIA_WAREHOUSE_TRACE=1: each stage's time on stderr (where the time goes at scale).
  if (process.env.CIA_WAREHOUSE_TRACE) process.stderr.write(`warehouse: ${name} ${Date.now() - t0} ms\n`);
}

async function one(engine: SqlEngine, q: Sql): Promise<Record<string, number>> {
  const rows = await engine.query(q);
  const r = rows[0] ?? {};
  const out: Record<string, number> = {};
  for (const k of Object.keys(r)) out[k] = r[k] === null ? Number.NaN : Number(r[k]);
  return out;
}

/** Each limit's use by the staged choice (only scoped limits are read from it). */
async function scopedUsage(
  engine: SqlEngine,
  limits: readonly LagrangianLimit[],
  scope: ScopeClasses,
): Promise<number[]> {
  const d = engine.dialect;
  const choice = ident(STAGES.choice);
  // The channel is not in the choice: read it from the unit's row of the hull stage.
  const rows = scope.channel
    ? sql`SELECT c.action AS action, c.cost AS a, h.ch AS ch FROM ${choice} c
JOIN ${ident(STAGES.hull)} h ON h.unit = c.unit AND h.row_id = c.row_id AND h.origin = 0`
    : sql`SELECT action, cost AS a FROM ${choice}`;
  const sums = limits.map(
    (k, r) => sql`COALESCE(${d.preciseSum(coefficientSql(d, k))}, 0) AS ${rawSql(`u${r}`)}`,
  );
  const u = await one(engine, sql`SELECT ${joinSql(sums, ", ")} FROM (${rows}) x`);
  return limits.map((_, r) => u[`u${r}`]!);
}

/** Hull passes over a staged table until one drops no point (at most `maxPasses`). */
async function hullPasses(engine: SqlEngine, name: string, maxPasses: number, extra: Sql): Promise<void> {
  const d = engine.dialect;
  const prev = `${name}_prev`;
  for (let pass = 0; pass < Math.max(1, maxPasses); pass++) {
    await engine.run(d.dropStage(ident(prev)));
    await engine.run(sql`ALTER TABLE ${ident(name)} RENAME TO ${ident(prev)}`);
    await stage(engine, name, hullPassSql(d, prev, extra));
    const left = await one(engine, sql`SELECT COUNT(*) AS n FROM ${ident(name)} WHERE retest = 1`);
    if (left.n === 0) break;
  }
  await engine.run(d.dropStage(ident(prev)));
}

/**
 * Allocate as SQL where the scores live: the same problem, options, algorithm and result type as
 * `allocate` of @cia/optimizer, with the per-unit work (pruning, each unit's concave hull,
 * its increments) and the greedy order (a window function over the increments by decreasing value
 * per unit of the resource, with the running sum of that resource) done by the engine. Only the
 * few steps that can still fit after the LP's break come to this process, in chunks, for the
 * skip-and-fill pass; the totals and the certificate (value, bound, gap) are aggregates.
 *
 * Supported: every limit of `allocate`. No limit; one limit alone (the budget, the volume cap
 * `maxTreated`, or one channel / action cap, whose hull greedy runs on that cap's coefficient, 0
 * outside its channel or action); several limits at once (the budget, the volume cap and any
 * `channelCaps` / `actionCaps`: the Lagrangian method of @cia/optimizer, one multiplier per limit,
 * each dual evaluation one aggregate: see `sqlLagrangian`); with `maxCostPerValue`, the efficiency
 * floor `minValuePerCost`, `risk` and `dual`. Channel caps need `columns.channel`. With channel /
 * action caps the pruning is the in-process scoped one: dominance only within a channel / a capped
 * action, no hull pruning. Only `pruneDominated: false` throws `unsupported_option`.
 *
 * @example
 * const engine = await createDuckDbEngine();
 * await loadCandidates(engine, "scores", candidates);
 * const r = await warehouseAllocate(engine, { table: "scores", columns: { row: "row_id" } }, { budget: 1000 });
 * r.totals.value; // equals allocate(candidates, { budget: 1000 }).totals.value
 */
export async function warehouseAllocate(
  engine: SqlEngine,
  scores: ScoresTable,
  options: AllocationOptions = {},
  warehouse: WarehouseAllocateOptions = {},
): Promise<AllocationResult> {
  const s = scoresIdents(scores);
  checkLimit("maxCostPerValue", options.maxCostPerValue);
  const floor = options.minValuePerCost;
  if (floor !== undefined && !(Number.isFinite(floor) && floor >= 0))
    throw new CiaError<WarehouseErrorCode>(
      "invalid_option",
      `minValuePerCost must be finite and >= 0, got ${floor}`,
      { option: "minValuePerCost", value: floor },
    );
  if (options.pruneDominated === false) unsupported("pruneDominated: false", "the SQL path always prunes");
  const { constraints, scope } = warehouseLimits(options, s.channel !== undefined);
  const budget = options.budget ?? Number.POSITIVE_INFINITY;
  const scoped = scope !== undefined;
  const ch = chCol(scope);
  let value: ValueSource = { kind: "mean" };
  const risk = options.risk;
  if (risk === "lower") {
    if (!s.tauValueLower)
      throw new CiaError<WarehouseErrorCode>("invalid_option", 'risk "lower" needs columns.tauValueLower');
    value = { kind: "lower" };
  } else if (risk !== undefined) {
    if (!s.tauValueSe)
      throw new CiaError<WarehouseErrorCode>("invalid_option", "risk { z } needs columns.tauValueSe");
    if (!(Number.isFinite(risk.z) && risk.z >= 0))
      throw new CiaError<WarehouseErrorCode>(
        "invalid_option",
        `risk.z must be finite and >= 0, got ${risk.z}`,
      );
    value = { kind: "z", z: risk.z };
  }
  const d = engine.dialect;
  await stage(engine, STAGES.points, pointsSql(s, d, value, options.maxCostPerValue, scope));
  const shape = await one(
    engine,
    sql`SELECT MAX(pos) AS max_points, MAX(unit) AS max_unit, MIN(unit) AS min_unit FROM ${ident(STAGES.points)}`,
  );
  if (shape.min_unit! < 0)
    throw new CiaError<WarehouseErrorCode>(
      "invalid_input",
      `unit indices must be >= 0, found ${shape.min_unit}`,
    );
  const nUnits = scores.nUnits ?? (Number.isNaN(shape.max_unit!) ? 0 : shape.max_unit! + 1);
  if (shape.max_unit! >= nUnits)
    throw new CiaError<WarehouseErrorCode>(
      "invalid_input",
      `unit ${shape.max_unit} is outside 0..${nUnits - 1}`,
    );
  // The hull: passes that drop points below their neighbours' chord, until one drops none. With
  // channel / action caps the in-process pruning has no hull: every survivor of the (scoped)
  // dominance is kept, and only an efficiency floor cuts along the hull of the unit's chain.
  if (!scoped || floor !== undefined) {
    await stage(engine, STAGES.hull, hullStartSql(scope, scoped));
    await hullPasses(engine, STAGES.hull, shape.max_points!, ch);
  } else await stage(engine, STAGES.hull, hullStartSql(scope));
  if (floor !== undefined) {
    await engine.run(sql`ALTER TABLE ${ident(STAGES.hull)} RENAME TO ${ident(`${STAGES.hull}_prev`)}`);
    await stage(engine, STAGES.hull, floorCutSql(d, floor, `${STAGES.hull}_prev`, ch));
    await engine.run(d.dropStage(ident(`${STAGES.hull}_prev`)));
  }
  const pc = await one(engine, pruneCountsSql(d, floor !== undefined, scoped));
  if (pc.non_finite! > 0) {
    throw new CiaError<WarehouseErrorCode>(
      "invalid_input",
      `${pc.non_finite} eligible candidate rows of ${scores.table} have a NaN or infinite score`,
      { table: scores.table },
    );
  }
  // Staged tables are dropped as soon as they are read for the last time (memory at 10^7 units).
  await engine.run(d.dropStage(ident(STAGES.points)));
  const prune: PruneCounts = {
    total: pc.total!,
    kept: pc.kept!,
    ineligible: pc.ineligible!,
    non_positive_value: pc.non_positive_value!,
    cost_per_value_above_cap: pc.cost_per_value_above_cap!,
    dominated: pc.dominated!,
    lp_dominated: pc.lp_dominated!,
    below_efficiency_floor: pc.below_floor!,
  };
  const vmax = pc.kept! > 0 ? pc.vmax! : 0;
  const m = constraints.length;
  const certificate: CertificateReport = {
    method: "unconstrained",
    fractional: [],
    iterations: 0,
    converged: true,
    dual_lower_bound: 0,
    gap_limit: m * vmax,
    rounding: "exact",
  };
  let single: { unit: number; row: number; value: number } | undefined;
  let scopedSingle = false;
  let upper = Number.NaN;
  const multipliers = new Float64Array(m);
  if (m === 0) {
    await stage(engine, STAGES.choice, choiceSql("unconstrained"));
  } else if (m > 1) {
    // The budget and the volume cap together: the Lagrangian of @cia/optimizer, step for step.
    const sol = await sqlLagrangian(engine, (name, body) => stage(engine, name, body), constraints, {
      nKept: pc.kept!,
      maxIterations: options.dual?.maxIterations ?? 200,
      tolerance: options.dual?.tolerance ?? 1e-10,
      chunk: warehouse.fillChunk,
      singleKeptOnly: floor !== undefined || scoped,
      orderedSums: warehouse.dualSums === "ordered",
    });
    upper = sol.upperBound;
    multipliers.set(sol.multipliers);
    certificate.method = "lagrangian";
    certificate.rounding = sol.singleItem ? "single_item" : "greedy";
    certificate.iterations = sol.iterations;
    certificate.converged = sol.converged;
    certificate.dual_lower_bound = sol.dualLowerBound;
  } else {
    const k = constraints[0]!;
    // One channel / action cap alone: the in-process hull greedy on that cap's coefficient (0
    // outside its scope), over every kept option: a new hull per unit on (coefficient, value).
    const resource = k.scope !== undefined && k.scope !== "all";
    scopedSingle = resource;
    if (resource) {
      await stage(engine, STAGES.resourceHull, resourceHullSql(d, k, scope!));
      await hullPasses(engine, STAGES.resourceHull, 2 * shape.max_points! + 1, sql`, cost${ch}`);
      await engine.run(d.dropStage(ident(STAGES.hull)));
      await engine.run(sql`ALTER TABLE ${ident(STAGES.resourceHull)} RENAME TO ${ident(STAGES.hull)}`);
    }
    const kind = resource ? "cost" : k.kind;
    await stage(engine, STAGES.increments, incrementsSql(d, kind, resource));
    const base = await one(
      engine,
      sql`SELECT COALESCE(${d.preciseSum(sql`${rawSql(resource ? "to_a" : "to_cost")}`)}, 0) AS spent, COALESCE(${d.preciseSum(sql`to_v`)}, 0) AS value FROM ${ident(STAGES.increments)} WHERE q = 0`,
    );
    const baseSpent = kind === "cost" ? base.spent! : 0;
    const baseValue = kind === "cost" ? base.value! : 0;
    const cap = k.cap;
    let multiplier = 0;
    // The in-process cap slack: a budget set to exactly some allocation's spend must admit it.
    const capTol = cap + 8 * Number.EPSILON * (Math.abs(cap) + Math.abs(baseSpent));
    const room0 = capTol - baseSpent;
    let bucketed = warehouse.greedy === "bucketed";
    if (bucketed) {
      const r = await one(
        engine,
        sql`SELECT MIN(slope) AS lo, MAX(slope) AS hi FROM ${ident(STAGES.increments)} WHERE q > 0`,
      );
      const buckets = warehouse.buckets ?? 4096;
      const width = (r.hi! - r.lo!) / buckets;
      // One slope (or none): nothing to bucket, the plain window is as cheap.
      if (!(width > 0 && Number.isFinite(width))) bucketed = false;
      else {
        const bounds = { lo: r.lo!, width };
        const sums = await engine.query(bucketSumsSql(d, bounds));
        // The break bucket: the first (highest) whose cumulative cost exceeds the room
        // (Neumaier's compensated running sum, as the in-process totals).
        let acc = 0;
        let comp = 0;
        let kb = Number.NEGATIVE_INFINITY;
        let offset = 0;
        for (const row of sums) {
          const before = acc + comp;
          const x = Number(row.da);
          const t = acc + x;
          comp += Math.abs(acc) >= Math.abs(x) ? acc - t + x : x - t + acc;
          acc = t;
          if (acc + comp > room0) {
            kb = Number(row.bk);
            offset = before;
            break;
          }
        }
        if (kb === Number.NEGATIVE_INFINITY) kb = Number(sums[sums.length - 1]?.bk ?? 0) - 1;
        await stage(engine, STAGES.greedy, greedyBucketedSql(d, { ...bounds, kb }, room0 - offset));
      }
    }
    if (!bucketed) await stage(engine, STAGES.greedy, greedySql(d, room0));
    const g = await one(
      engine,
      sql`SELECT COALESCE(${d.preciseSum(sql`CASE WHEN taken = 1 THEN da ELSE 0 END`)}, 0) AS da,
  COALESCE(${d.preciseSum(sql`CASE WHEN taken = 1 THEN dv ELSE 0 END`)}, 0) AS dv,
  COALESCE(SUM(CASE WHEN taken = 0 THEN 1 ELSE 0 END), 0) AS not_taken FROM ${ident(STAGES.greedy)}`,
    );
    let spent = baseSpent + g.da!;
    let lpValue = baseValue + g.dv!;
    const hasBreak = g.not_taken! > 0;
    if (hasBreak) {
      const b = await one(engine, breakStepSql());
      const fraction = Math.min(1, Math.max(0, cap - spent) / b.da!);
      lpValue += fraction * b.dv!;
      multiplier = b.slope!;
      multipliers[0] = multiplier;
      if (fraction > 0)
        certificate.fractional.push({
          unit: b.unit!,
          from_action: b.from_action!,
          to_action: b.to_action!,
          fraction,
        });
    }
    certificate.method = "hull_greedy";
    certificate.rounding = "greedy";
    if (hasBreak) {
      const si = await one(
        engine,
        singleItemSql(d, kind, capTol - baseSpent, floor !== undefined && !resource, resource),
      );
      if (!Number.isNaN(si.unit!)) single = { unit: si.unit!, row: si.row_id!, value: baseValue + si.gain! };
      // Clamped slopes can order a step a rounding step late; the dual at the same price bounds
      // the LP optimum whatever the order.
      const cl = await one(
        engine,
        sql`SELECT COUNT(*) AS clamped FROM ${ident(STAGES.increments)} WHERE q > 0 AND slope < dv / da`,
      );
      if (cl.clamped! > 0) {
        const dual = await one(engine, dualValueSql(d, kind, multiplier, resource));
        lpValue = Math.max(lpValue, multiplier * cap + dual.dual!);
      }
    }
    upper = lpValue;
    // Skip-and-fill over the steps that still fit, in greedy order, a chunk per round trip; a
    // unit's step is only taken right after its previous one.
    const fill: number[] = [];
    if (hasBreak) {
      const top = new Map<number, number>();
      let spentC = 0;
      let room = capTol - spent;
      let after = { slope: Number.POSITIVE_INFINITY, unit: 0, q: 0 };
      const chunk = warehouse.fillChunk ?? 4096;
      for (;;) {
        const rows = await engine.query(fillChunkSql(d, room, after, chunk));
        if (rows.length === 0) break;
        for (const r of rows) {
          const unit = Number(r.unit);
          const q = Number(r.q);
          const da = Number(r.da);
          after = { slope: Number(r.slope), unit, q };
          const current = top.get(unit) ?? Number(r.top_q);
          if (current !== q - 1) continue;
          if (spent + da <= capTol) {
            const y = da - spentC;
            const t = spent + y;
            spentC = t - spent - y;
            spent = t;
            top.set(unit, q);
            fill.push(unit, q);
          }
        }
        room = capTol - spent;
        if (rows.length < chunk) break;
      }
    }
    await stage(
      engine,
      STAGES.fill,
      sql`SELECT CAST(0 AS BIGINT) AS unit, CAST(0 AS BIGINT) AS q WHERE 1 = 0`,
    );
    for (let p = 0; p < fill.length; p += 2000) {
      const values = joinSql(
        Array.from(
          { length: Math.min(1000, (fill.length - p) / 2) },
          (_, j) => sql`(${fill[p + 2 * j]!}, ${fill[p + 2 * j + 1]!})`,
        ),
        ", ",
      );
      await engine.run(sql`INSERT INTO ${ident(STAGES.fill)} (unit, q) VALUES ${values}`);
    }
    await stage(engine, STAGES.choice, choiceSql("greedy"));
  }
  if (certificate.method !== "lagrangian") certificate.dual_lower_bound = upper;
  const totalsOf = () =>
    one(
      engine,
      sql`SELECT COUNT(*) AS treated, COALESCE(${d.preciseSum(sql`cost`)}, 0) AS spend,
  COALESCE(${d.preciseSum(sql`tv`)}, 0) AS value, COALESCE(${d.preciseSum(sql`v`)}, 0) AS objective
FROM ${ident(STAGES.choice)}`,
    );
  let t = await totalsOf();
  // The greedy trap: the best single option that fits replaces the greedy answer when it is worth
  // more by over 1e-12 relative (the rule and margins of @cia/optimizer's allocate).
  if (single !== undefined) {
    const g = t.objective!;
    const margin = 1e-12 * Math.max(1, Math.abs(g));
    if (single.value > g - 1e6 * margin) {
      await stage(engine, `${STAGES.choice}_greedy`, sql`SELECT * FROM ${ident(STAGES.choice)}`);
      await stage(engine, STAGES.choice, choiceSql("single", single, scopedSingle));
      const alt = await totalsOf();
      if (alt.objective! > g + margin) {
        t = alt;
        certificate.rounding = "single_item";
      } else {
        await stage(engine, STAGES.choice, sql`SELECT * FROM ${ident(`${STAGES.choice}_greedy`)}`);
      }
    }
  }
  const objective = t.objective!;
  const upperBound = Number.isNaN(upper) ? objective : Math.max(upper, objective);
  const gap = Math.max(0, upperBound - objective);
  const scopedUsed = scoped ? await scopedUsage(engine, constraints, scope!) : [];
  const reports: ConstraintReport[] = constraints.map((k, r) => ({
    name: k.name,
    kind: k.kind,
    cap: k.cap,
    used:
      k.scope !== undefined && k.scope !== "all" ? scopedUsed[r]! : k.kind === "cost" ? t.spend! : t.treated!,
    multiplier: multipliers[r]!,
  }));
  for (const rep of reports) {
    if (rep.used > rep.cap * (1 + 1e-12) + 1e-9) {
      throw new CiaError<WarehouseErrorCode>(
        "engine_error",
        `allocation exceeds ${rep.name} (${rep.used} > ${rep.cap})`,
        {
          ...rep,
        },
      );
    }
  }
  if (warehouse.assignmentTable !== undefined) {
    await engine.run(sql`DROP TABLE IF EXISTS ${ident(warehouse.assignmentTable)}`);
    await engine.run(
      sql`CREATE TABLE ${ident(warehouse.assignmentTable)} AS SELECT unit, action, row_id, tv AS tau_value, cost AS tau_cost FROM ${ident(STAGES.choice)}`,
    );
  }
  for (const name of [`${STAGES.choice}_greedy`, STAGES.fill, STAGES.greedy, STAGES.increments, STAGES.hull])
    await engine.run(d.dropStage(ident(name)));
  const fetch = warehouse.fetchAssignment ?? true;
  const action = new Int32Array(fetch ? nUnits : 0);
  const candidate = new Int32Array(fetch ? nUnits : 0).fill(-1);
  if (fetch) {
    await engine.stream(sql`SELECT unit, action, row_id FROM ${ident(STAGES.choice)}`, (cols, n) => {
      const u = cols.unit!;
      const a = cols.action!;
      const r = cols.row_id!;
      for (let i = 0; i < n; i++) {
        action[u[i]!] = a[i]!;
        candidate[u[i]!] = r[i]!;
      }
    });
  }
  const budgetReport = reports.find((r) => r.name === "budget");
  return {
    action,
    candidate,
    totals: {
      units: nUnits,
      treated: t.treated!,
      spend: t.spend!,
      value: t.value!,
      budget,
      lambda: Math.max(budgetReport ? budgetReport.multiplier : 0, floor ?? 0),
      objective,
      upper_bound: upperBound,
      gap,
      relative_gap: upperBound > 0 ? gap / upperBound : 0,
    },
    constraints: reports,
    prune,
    certificate,
  };
}
