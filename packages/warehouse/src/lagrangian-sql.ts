import type { Dialect } from "./dialect.js";
import { type LimitScope, STAGES, coefficientSql } from "./allocation-sql.js";
import { type Sql, ident, intLiteral, joinSql, rawSql, sql } from "./sql.js";

/** Staged tables of the SQL Lagrangian (several limits at once). */
export const LAGRANGE_STAGES = {
  /** the kept options (hull vertices) with one coefficient column per limit, c0 .. c(m-1) */
  kept: "cia_lg_kept",
  /** each unit's best option at the multipliers (ties to the cheaper option; none when not > 0) */
  atMu: "cia_lg_mu",
  /** units dropped by the repair */
  dropped: "cia_lg_drop",
  /** the repaired choice */
  current: "cia_lg_cur",
  /** the fill pass's candidates (options that improve a unit and fit), with reduced values */
  fillCand: "cia_lg_cand",
  /** options switched to by the fill pass */
  filled: "cia_lg_fill",
  /** the best rounding so far (unit, pos) */
  best: "cia_lg_best",
} as const;

/**
 * A limit of the Lagrangian: its kind gives the coefficient (tau_cost, or 1 per treated unit),
 * its scope which options it counts (all, or one channel's or one action's; the stages then carry
 * the channel `ch`).
 */
export interface LagrangianLimit extends LimitScope {
  name: string;
  cap: number;
}

const cols = (m: number, prefix = "") =>
  joinSql(
    Array.from({ length: m }, (_, r) => sql`${rawSql(`${prefix}c${r}`)}`),
    ", ",
  );

/**
 * The kept options (the vertices of each unit's hull, the `kept` set of @cia/optimizer's pruning)
 * with their position in the unit's kept order (cost ascending) and one coefficient per limit.
 */
export function keptSql(d: Dialect, limits: readonly LagrangianLimit[]): Sql {
  const coefs = joinSql(
    limits.map((k, r) => sql`${coefficientSql(d, k)} AS ${rawSql(`c${r}`)}`),
    ", ",
  );
  return sql`SELECT unit, pos, action, row_id, tv, a, v, ${coefs} FROM ${ident(STAGES.hull)} WHERE vertex = 1 AND origin = 0`;
}

/**
 * The reduced value v - mu_0 c0 - mu_1 c1 - ... folded left to right, the order of the in-process
 * evaluation (so both round alike).
 */
export function reducedSql(d: Dialect, mu: readonly number[], prefix = ""): Sql {
  const D = rawSql(d.double);
  let e = sql`${rawSql(`${prefix}v`)}`;
  mu.forEach((x, r) => {
    e = sql`(${e} - CAST(${x} AS ${D}) * ${rawSql(`${prefix}c${r}`)})`;
  });
  return e;
}

/**
 * Each unit's option of largest reduced value at mu when that value is > 0 (ties: the earlier
 * option in kept order, the cheaper), the choices of the Lagrangian dual L(mu).
 */
export function atMuSql(d: Dialect, mu: readonly number[]): Sql {
  const m = mu.length;
  const scored = sql`SELECT unit, pos, v, ${cols(m)}, ${reducedSql(d, mu)} AS s FROM ${ident(LAGRANGE_STAGES.kept)}`;
  if (d.argMax) {
    // One GROUP BY: the largest s, ties to the lowest pos (key (s, -pos), unique within a unit).
    const at = (c: string) => d.argMax!(sql`${rawSql(c)}`, sql`(s, -pos)`);
    const picked = joinSql(
      ["pos", "v", ...Array.from({ length: m }, (_, r) => `c${r}`)].map((c) => sql`${at(c)} AS ${rawSql(c)}`),
      ", ",
    );
    return sql`SELECT unit, ${picked}, MAX(s) AS s FROM (${scored}) x WHERE s > 0 GROUP BY unit`;
  }
  return sql`SELECT unit, pos, v, s, ${cols(m)} FROM (
  SELECT unit, pos, v, s, ${cols(m)}, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY s DESC, pos) AS rk
  FROM (SELECT unit, pos, v, ${cols(m)}, ${reducedSql(d, mu)} AS s FROM ${ident(LAGRANGE_STAGES.kept)}) x
  WHERE s > 0
) y WHERE rk = 1`;
}

/**
 * A sum of `x` over units: with `ordered` (and a dialect that has `orderedSum`) added in unit
 * order like the in-process loop (`compensated`: Kahan's sum, as in-process sums values), else the
 * dialect's precise sum.
 */
export function sumSql(d: Dialect, x: Sql, o: { ordered: boolean; compensated: boolean; unit?: Sql }): Sql {
  return o.ordered && d.orderedSum ? d.orderedSum(x, o.unit ?? sql`unit`, o.compensated) : d.preciseSum(x);
}

/**
 * Each limit's use by the choices at mu, as `u0 .. u(m-1)`: with `ordered` (and a dialect that has
 * `orderedSum`) added unit by unit like the in-process loop, else a compensated sum.
 */
export function usageSql(d: Dialect, m: number, ordered = false): Sql {
  const sum = (x: Sql) => sumSql(d, x, { ordered, compensated: false });
  return joinSql(
    Array.from(
      { length: m },
      (_, r) => sql`COALESCE(${sum(sql`${rawSql(`c${r}`)}`)}, 0) AS ${rawSql(`u${r}`)}`,
    ),
    ", ",
  );
}

/**
 * sum_u max(0, best reduced value) and each limit's usage by those choices: L(mu) less mu . caps.
 * `ordered`: the sums in unit order, as in process (see `Dialect.orderedSum`).
 */
export function dualSql(d: Dialect, mu: readonly number[], ordered = false): Sql {
  const total = sumSql(d, sql`s`, { ordered, compensated: true });
  return sql`SELECT COALESCE(${total}, 0) AS total, ${usageSql(d, mu.length, ordered)} FROM (${atMuSql(d, mu)}) b`;
}

/**
 * The box of the multipliers (in-process `solveLagrangian`): for a cost limit r, the largest
 * v / c_r over options with c_r > 0; for a count limit, the largest (v + bonus) / c_r, the bonus
 * being what cost-saving options earn at the cost limits' bounds `costUpper` (0 where unknown).
 */
export function boxSql(d: Dialect, limits: readonly LagrangianLimit[], costUpper: readonly number[]): Sql {
  const D = rawSql(d.double);
  const exprs = limits.map((k, r) => {
    const c = rawSql(`c${r}`);
    if (k.kind === "cost") return sql`MAX(CASE WHEN ${c} > 0 THEN v / ${c} END) AS ${rawSql(`x${r}`)}`;
    let bonus = sql`CAST(0 AS ${D})`;
    limits.forEach((s, j) => {
      if (s.kind !== "cost") return;
      const b = rawSql(`c${j}`);
      bonus = sql`(${bonus} - CASE WHEN ${b} < 0 THEN ${b} * CAST(${costUpper[j] ?? 0} AS ${D}) ELSE CAST(0 AS ${D}) END)`;
    });
    return sql`MAX(CASE WHEN ${c} > 0 THEN (v + ${bonus}) / ${c} END) AS ${rawSql(`x${r}`)}`;
  });
  return sql`SELECT ${joinSql(exprs, ", ")} FROM ${ident(LAGRANGE_STAGES.kept)}`;
}

/** The next chunk of treated units at mu by increasing reduced value (ties: lower unit), after (s, unit). */
export function repairChunkSql(
  d: Dialect,
  m: number,
  after: { s: number; unit: number },
  limit: number,
): Sql {
  const s = sql`CAST(${after.s} AS ${rawSql(d.double)})`;
  return sql`SELECT unit, s, ${cols(m)} FROM ${ident(LAGRANGE_STAGES.atMu)}
WHERE s > ${s} OR (s = ${s} AND unit > ${after.unit})
ORDER BY s, unit LIMIT ${intLiteral(limit)}`;
}

/** The repaired choice: the choices at mu less the dropped units. */
export function currentSql(m: number): Sql {
  return sql`SELECT t.unit AS unit, t.pos AS pos, t.v AS v, ${cols(m, "t.")} FROM ${ident(LAGRANGE_STAGES.atMu)} t
LEFT JOIN ${ident(LAGRANGE_STAGES.dropped)} x ON x.unit = t.unit WHERE x.unit IS NULL`;
}

/**
 * The fill pass's candidates (in-process `recoverPrimal`): kept options worth more than their
 * unit's current one (or the unit untreated) whose increase of every limit's usage fits the cap at
 * the repaired usage, with their reduced value at mu and the unit's current option.
 */
export function fillCandidatesSql(
  d: Dialect,
  mu: readonly number[],
  usage: readonly number[],
  caps: readonly number[],
): Sql {
  const D = rawSql(d.double);
  const m = mu.length;
  const fits = mu.map((_, r) => {
    const c = rawSql(`c${r}`);
    const delta = sql`(k.${c} - COALESCE(cu.${c}, CAST(0 AS ${D})))`;
    return sql` AND NOT (${delta} > 0 AND CAST(${usage[r]!} AS ${D}) + ${delta} > CAST(${caps[r]!} AS ${D}))`;
  });
  const curCols = joinSql(
    Array.from({ length: m }, (_, r) => sql`cu.${rawSql(`c${r}`)} AS ${rawSql(`cur_c${r}`)}`),
    ", ",
  );
  return sql`SELECT k.unit AS unit, k.pos AS pos, k.v AS v, ${cols(m, "k.")}, ${reducedSql(d, mu, "k.")} AS s,
  CASE WHEN cu.unit IS NULL THEN 0 ELSE 1 END AS has_cur, cu.pos AS cur_pos, cu.v AS cur_v, ${curCols}
FROM ${ident(LAGRANGE_STAGES.kept)} k LEFT JOIN ${ident(LAGRANGE_STAGES.current)} cu ON cu.unit = k.unit
WHERE (cu.unit IS NULL OR (cu.pos <> k.pos AND cu.v < k.v))${joinSql(fits, "")}`;
}

/** The next chunk of fill candidates by decreasing reduced value (ties: unit, then kept order). */
export function fillCandChunkSql(
  d: Dialect,
  m: number,
  after: { s: number; unit: number; pos: number },
  limit: number,
): Sql {
  const s = sql`CAST(${after.s} AS ${rawSql(d.double)})`;
  const curCols = joinSql(
    Array.from({ length: m }, (_, r) => sql`${rawSql(`cur_c${r}`)}`),
    ", ",
  );
  return sql`SELECT unit, pos, v, s, has_cur, cur_v, ${cols(m)}, ${curCols} FROM ${ident(LAGRANGE_STAGES.fillCand)}
WHERE s < ${s} OR (s = ${s} AND (unit > ${after.unit} OR (unit = ${after.unit} AND pos > ${after.pos})))
ORDER BY s DESC, unit, pos LIMIT ${intLiteral(limit)}`;
}

/** A rounding's choice (unit, pos): the repaired choice, each filled unit at its new option. */
export function roundedSql(): Sql {
  const f = ident(LAGRANGE_STAGES.filled);
  return sql`SELECT c.unit AS unit, c.pos AS pos FROM ${ident(LAGRANGE_STAGES.current)} c
LEFT JOIN ${f} f ON f.unit = c.unit WHERE f.unit IS NULL
UNION ALL SELECT unit, pos FROM ${f}`;
}

/**
 * The Lagrangian's single item: the most valuable option (kept or LP-dominated) whose every
 * coefficient fits its cap alone; ties to the lower unit, cost, action, row (in-process order).
 */
export function lagrangeSingleSql(d: Dialect, limits: readonly LagrangianLimit[], keptOnly = false): Sql {
  const D = rawSql(d.double);
  const fits = limits.map((k) => sql` AND ${coefficientSql(d, k)} <= CAST(${k.cap} AS ${D})`);
  return sql`SELECT unit, row_id, v FROM ${ident(STAGES.hull)} WHERE origin = 0 AND v > 0${keptOnly ? sql` AND vertex = 1` : sql``}${joinSql(fits, "")}
ORDER BY v DESC, unit, a, action, row_id LIMIT 1`;
}

/** The final choice of the Lagrangian (the `choice` stage's columns) from the best rounding. */
export function lagrangeChoiceSql(): Sql {
  return sql`SELECT k.unit AS unit, k.action AS action, k.row_id AS row_id, k.tv AS tv, k.a AS cost, k.v AS v
FROM ${ident(LAGRANGE_STAGES.best)} b JOIN ${ident(LAGRANGE_STAGES.kept)} k ON k.unit = b.unit AND k.pos = b.pos`;
}
