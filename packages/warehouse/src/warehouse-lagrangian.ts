import type { SqlEngine } from "./engine.js";
import { STAGES } from "./allocation-sql.js";
import {
  LAGRANGE_STAGES,
  type LagrangianLimit,
  atMuSql,
  boxSql,
  currentSql,
  dualSql,
  sumSql,
  usageSql,
  fillCandChunkSql,
  fillCandidatesSql,
  keptSql,
  lagrangeChoiceSql,
  lagrangeSingleSql,
  repairChunkSql,
  roundedSql,
} from "./lagrangian-sql.js";
import { type MasterLpModel, solveMasterLp } from "./master-lp.js";
import { type Sql, ident, joinSql, sql } from "./sql.js";

/** What the SQL Lagrangian returns; the chosen options are staged as the `choice` stage. */
export interface SqlLagrangianSolution {
  upperBound: number;
  dualLowerBound: number;
  multipliers: Float64Array;
  iterations: number;
  converged: boolean;
  /** the best single option alone beat the rounding (the greedy trap) */
  singleItem: boolean;
  repaired: number;
  filled: number;
}

type Stage = (name: string, body: Sql) => Promise<void>;

async function one(engine: SqlEngine, q: Sql): Promise<Record<string, number>> {
  const rows = await engine.query(q);
  const r = rows[0] ?? {};
  const out: Record<string, number> = {};
  for (const k of Object.keys(r)) out[k] = r[k] === null ? Number.NaN : Number(r[k]);
  return out;
}

/** Rows (unit, pos) inserted into a staged two-column table, 1000 per statement. */
async function insertPairs(engine: SqlEngine, table: string, pairs: readonly number[]): Promise<void> {
  for (let p = 0; p < pairs.length; p += 2000) {
    const values = joinSql(
      Array.from(
        { length: Math.min(1000, (pairs.length - p) / 2) },
        (_, j) => sql`(${pairs[p + 2 * j]!}, ${pairs[p + 2 * j + 1]!})`,
      ),
      ", ",
    );
    await engine.run(sql`INSERT INTO ${ident(table)} VALUES ${values}`);
  }
}

/**
 * Several limits at once (the budget, the volume cap, channel and action caps) as SQL: the algorithm of
 * @cia/optimizer's `solveLagrangian` step for step, with every pass over the units an aggregate
 * in the engine and only the multipliers, the cuts and the few units the rounding moves in this
 * process. Each evaluation of the dual L(mu) = sum_u max(0, max_j v_j - mu . a_j) + mu . b is one
 * GROUP BY-style query (a window ranking each unit's options by reduced value); Kelley's cutting
 * planes pick the next mu with the same master LP (javascript-lp-solver, same model and
 * precision). The rounding from the best few dual points is the in-process one: each unit's
 * option at mu, the units of least reduced value dropped until every cap holds (streamed in that
 * order), then the options of best reduced value that improve a unit and still fit (streamed),
 * and the best single option if it beats that. The in-process active-set box only speeds up the
 * same evaluations there and has no counterpart here.
 *
 * Expects the `hull` stage of the allocation; writes the `choice` stage.
 *
 * @example
 * const sol = await sqlLagrangian(engine, stage, [{ name: "budget", kind: "cost", cap: 100 },
 *   { name: "max_treated", kind: "count", cap: 20 }], { nKept, maxIterations: 200, tolerance: 1e-10 });
 * sol.upperBound; // the dual bound, as allocate's totals.upper_bound
 */
export async function sqlLagrangian(
  engine: SqlEngine,
  stage: Stage,
  limits: readonly LagrangianLimit[],
  options: {
    nKept: number;
    maxIterations: number;
    tolerance: number;
    chunk?: number | undefined;
    /** the single item only among kept options (under an efficiency floor, as in process) */
    singleKeptOnly?: boolean | undefined;
    /** the dual's sums in unit order where the dialect can (`Dialect.orderedSum`) */
    orderedSums?: boolean | undefined;
  },
): Promise<SqlLagrangianSolution> {
  const d = engine.dialect;
  const m = limits.length;
  const caps = Float64Array.from(limits, (k) => k.cap);
  const chunk = options.chunk ?? 4096;
  await stage(LAGRANGE_STAGES.kept, keptSql(d, limits));

  // Box: cost limits first, then count limits with the cost limits' bounds (in-process order).
  const upper = new Float64Array(m);
  for (let pass = 0; pass < 2; pass++) {
    const r0 = await one(engine, boxSql(d, limits, Array.from(upper)));
    for (let r = 0; r < m; r++) {
      if ((limits[r]!.kind === "cost") !== (pass === 0)) continue;
      const x = r0[`x${r}`]!;
      const ub = Number.isNaN(x) || !(x > 0) ? 0 : x;
      upper[r] = ub * (1 + 1e-9) + 1e-12;
    }
  }

  const usage = new Float64Array(m);
  const evaluate = async (mu: Float64Array): Promise<number> => {
    const r = await one(engine, dualSql(d, Array.from(mu), options.orderedSums === true));
    let total = r.total!;
    for (let q = 0; q < m; q++) usage[q] = r[`u${q}`]!;
    for (let q = 0; q < m; q++) total += mu[q]! * caps[q]!;
    return total;
  };
  const mu = new Float64Array(m);
  const best = new Float64Array(m);
  let ub = await evaluate(mu);
  const scale = Math.max(1, Math.abs(ub));
  const cuts: { l: number; g: Float64Array; mu: Float64Array }[] = [];
  const addCut = (l: number) =>
    cuts.push({ l, g: Float64Array.from(caps, (b, r) => b - usage[r]!), mu: mu.slice() });
  addCut(ub);
  let lb = Number.NEGATIVE_INFINITY;
  let iterations = 1;
  let converged = false;
  for (; iterations < options.maxIterations; iterations++) {
    // The master of @cia/optimizer's solveLagrangian, built the same way (names, order, scaling).
    const model: MasterLpModel = { optimize: "obj", opType: "min", constraints: {}, variables: {} };
    const tVar: Record<string, number> = { obj: 1 };
    const yVars: Record<string, number>[] = [];
    for (let r = 0; r < m; r++) {
      yVars.push({ [`box${r}`]: 1 });
      model.constraints[`box${r}`] = { max: 1 };
    }
    cuts.forEach((cut, k) => {
      let rhs = cut.l;
      for (let r = 0; r < m; r++) {
        rhs -= cut.g[r]! * cut.mu[r]!;
        if (upper[r]! > 0) yVars[r]![`cut${k}`] = (-cut.g[r]! * upper[r]!) / scale;
      }
      tVar[`cut${k}`] = 1;
      model.constraints[`cut${k}`] = { min: rhs / scale };
    });
    model.variables.t = tVar;
    for (let r = 0; r < m; r++) model.variables[`y${r}`] = yVars[r]!;
    const sol = solveMasterLp(model, 1e-11);
    if (!sol.feasible) break;
    lb = Math.max(lb, sol.result * scale);
    if (ub - lb <= options.tolerance * Math.max(1, Math.abs(ub))) {
      converged = true;
      break;
    }
    let same = cuts.length > 0;
    for (let r = 0; r < m; r++) {
      const y = Math.min(1, Math.max(0, sol.values[`y${r}`] ?? 0));
      mu[r] = y * upper[r]!;
      if (Math.abs(mu[r]! - cuts[cuts.length - 1]!.mu[r]!) > 1e-15 * Math.max(1, upper[r]!)) same = false;
    }
    if (same) break;
    const l = await evaluate(mu);
    addCut(l);
    if (l < ub) {
      ub = l;
      best.set(mu);
    }
  }
  if (!converged && ub - lb <= options.tolerance * Math.max(1, Math.abs(ub))) converged = true;

  const starts = cuts
    .map((cut, k) => ({ l: cut.l, mu: cut.mu, k }))
    .sort((x, y) => x.l - y.l || x.k - y.k)
    .slice(0, options.nKept <= 50_000 ? 6 : 1);
  if (!starts.some((st) => st.mu.every((x, r) => x === best[r]))) starts.unshift({ l: ub, mu: best, k: -1 });
  let bestObjective = Number.NaN;
  let bestRepaired = 0;
  let bestFilled = 0;
  for (const st of starts) {
    const pr = await recover(engine, stage, st.mu, caps, chunk, options.orderedSums === true);
    if (Number.isNaN(bestObjective) || pr.objective > bestObjective) {
      bestObjective = pr.objective;
      bestRepaired = pr.repaired;
      bestFilled = pr.filled;
      if (pr.feasible) await stage(LAGRANGE_STAGES.best, roundedSql());
      else
        await stage(
          LAGRANGE_STAGES.best,
          sql`SELECT unit, pos FROM ${ident(LAGRANGE_STAGES.kept)} WHERE 1 = 0`,
        );
    }
  }
  // The greedy trap: the most valuable single option that fits every cap alone.
  const si = await one(engine, lagrangeSingleSql(d, limits, options.singleKeptOnly === true));
  const singleItem =
    !Number.isNaN(si.unit ?? Number.NaN) &&
    si.v! > bestObjective + 1e-12 * Math.max(1, Math.abs(bestObjective));
  if (singleItem) {
    await stage(
      STAGES.choice,
      sql`SELECT unit, action, row_id, tv, a AS cost, v FROM ${ident(STAGES.hull)} WHERE unit = ${si.unit!} AND row_id = ${si.row_id!} AND origin = 0`,
    );
  } else await stage(STAGES.choice, lagrangeChoiceSql());
  for (const name of Object.values(LAGRANGE_STAGES)) await engine.run(d.dropStage(ident(name)));
  return {
    upperBound: ub,
    dualLowerBound: Math.min(lb, ub),
    multipliers: best,
    iterations,
    converged,
    singleItem,
    repaired: bestRepaired,
    filled: bestFilled,
  };
}

/**
 * One rounding from multipliers mu (in-process `recoverPrimal`), leaving the repaired choice in
 * the `current` stage and the fill pass's moves in the `filled` stage.
 */
async function recover(
  engine: SqlEngine,
  stage: Stage,
  mu: Float64Array,
  caps: Float64Array,
  chunk: number,
  ordered: boolean,
): Promise<{ objective: number; feasible: boolean; repaired: number; filled: number }> {
  const d = engine.dialect;
  const m = caps.length;
  const muA = Array.from(mu);
  await stage(LAGRANGE_STAGES.atMu, atMuSql(d, muA));
  const u0 = await one(engine, sql`SELECT ${usageSql(d, m, ordered)} FROM ${ident(LAGRANGE_STAGES.atMu)}`);
  const usage = Float64Array.from({ length: m }, (_, r) => u0[`u${r}`]!);
  const violated = (r: number) => usage[r]! > caps[r]!;
  const anyViolated = () => {
    for (let r = 0; r < m; r++) if (violated(r)) return true;
    return false;
  };
  // Repair: treated units by increasing reduced value, each dropped if it uses a violated limit,
  // until every cap holds; like in process, up to four sweeps while one changes something (dropping
  // a cost-saving option can push another limit over its cap, so a skipped unit may help later).
  const dropped: number[] = [];
  const gone = new Set<number>();
  for (let sweep = 0, changed = anyViolated(); changed && sweep < 4; sweep++) {
    changed = false;
    let after = { s: Number.NEGATIVE_INFINITY, unit: -1 };
    outer: for (;;) {
      const rows = await engine.query(repairChunkSql(d, m, after, chunk));
      for (const row of rows) {
        if (!anyViolated()) break outer;
        const unit = Number(row.unit);
        after = { s: Number(row.s), unit };
        if (gone.has(unit)) continue;
        let helps = false;
        for (let r = 0; r < m; r++) if (violated(r) && Number(row[`c${r}`]) > 0) helps = true;
        if (!helps) continue;
        for (let r = 0; r < m; r++) usage[r]! -= Number(row[`c${r}`]);
        dropped.push(unit, 0);
        gone.add(unit);
        changed = true;
      }
      if (rows.length < chunk) break;
    }
  }
  await stage(
    LAGRANGE_STAGES.dropped,
    sql`SELECT CAST(0 AS BIGINT) AS unit, CAST(0 AS BIGINT) AS pos WHERE 1 = 0`,
  );
  await insertPairs(engine, LAGRANGE_STAGES.dropped, dropped);
  await stage(LAGRANGE_STAGES.current, currentSql(m));
  // Fill: options by decreasing reduced value that improve their unit and fit every cap.
  await stage(LAGRANGE_STAGES.fillCand, fillCandidatesSql(d, muA, Array.from(usage), Array.from(caps)));
  const state = new Map<number, { v: number; c: Float64Array }>();
  const fills: number[] = [];
  const cNew = new Float64Array(m);
  const cCur = new Float64Array(m);
  let after = { s: Number.POSITIVE_INFINITY, unit: -1, pos: -1 };
  for (;;) {
    const rows = await engine.query(fillCandChunkSql(d, m, after, chunk));
    for (const row of rows) {
      const unit = Number(row.unit);
      const pos = Number(row.pos);
      after = { s: Number(row.s), unit, pos };
      const v = Number(row.v);
      const moved = state.get(unit);
      let hasCur: boolean;
      let curV = 0;
      if (moved) {
        hasCur = true;
        curV = moved.v;
        cCur.set(moved.c);
      } else {
        hasCur = Number(row.has_cur) === 1;
        if (hasCur) {
          curV = Number(row.cur_v);
          for (let r = 0; r < m; r++) cCur[r] = Number(row[`cur_c${r}`]);
        }
      }
      for (let r = 0; r < m; r++) cNew[r] = Number(row[`c${r}`]);
      if (hasCur && curV >= v) continue;
      let fits = true;
      for (let r = 0; r < m; r++) {
        const delta = cNew[r]! - (hasCur ? cCur[r]! : 0);
        if (delta > 0 && usage[r]! + delta > caps[r]!) fits = false;
      }
      if (!fits) continue;
      for (let r = 0; r < m; r++) usage[r]! += cNew[r]! - (hasCur ? cCur[r]! : 0);
      state.set(unit, { v, c: cNew.slice() });
      fills.push(unit, pos);
    }
    if (rows.length < chunk) break;
  }
  // One row per unit: the unit's last move.
  const last = new Map<number, number>();
  for (let p = 0; p < fills.length; p += 2) last.set(fills[p]!, fills[p + 1]!);
  const pairs: number[] = [];
  for (const [u, pos] of last) pairs.push(u, pos);
  await stage(
    LAGRANGE_STAGES.filled,
    sql`SELECT CAST(0 AS BIGINT) AS unit, CAST(0 AS BIGINT) AS pos WHERE 1 = 0`,
  );
  await insertPairs(engine, LAGRANGE_STAGES.filled, pairs);
  const repaired = dropped.length / 2;
  const filled = fills.length / 2;
  if (anyViolated()) return { objective: 0, feasible: false, repaired, filled };
  const o = await one(
    engine,
    sql`SELECT COALESCE(${sumSql(d, sql`k.v`, { ordered, compensated: false, unit: sql`k.unit` })}, 0) AS objective FROM (${roundedSql()}) r
JOIN ${ident(LAGRANGE_STAGES.kept)} k ON k.unit = r.unit AND k.pos = r.pos`,
  );
  return { objective: o.objective!, feasible: true, repaired, filled };
}
