import type { Dialect } from "./dialect.js";
import { type Ident, type Sql, ident, intLiteral, joinSql, rawSql, sql } from "./sql.js";

/**
 * Where the effect scores live: one row per (unit, action) candidate, the `cia score` contract in
 * long layout. `unit` is an integer unit index 0..nUnits-1 (the `Candidates.unit` of
 * @cia/optimizer); the other names default to the contract's.
 */
export interface ScoresTable {
  table: string;
  /** Column names (validated identifiers). */
  columns?:
    | {
        unit?: string | undefined;
        action?: string | undefined;
        tauValue?: string | undefined;
        tauCost?: string | undefined;
        /** 0/1 eligibility flag; every row is eligible when absent */
        eligible?: string | undefined;
        /** candidate row index (the `candidate` of the result); by default the rank of (unit, action) */
        row?: string | undefined;
        tauValueLower?: string | undefined;
        tauValueSe?: string | undefined;
        /** integer channel code (needed by `channelCaps`) */
        channel?: string | undefined;
      }
    | undefined;
  /** Number of units (default: max(unit) + 1). */
  nUnits?: number | undefined;
}

/** The validated identifiers of a {@link ScoresTable}. */
export interface ScoresIdents {
  table: Ident;
  unit: Ident;
  action: Ident;
  tauValue: Ident;
  tauCost: Ident;
  eligible: Ident | undefined;
  row: Ident | undefined;
  tauValueLower: Ident | undefined;
  tauValueSe: Ident | undefined;
  channel: Ident | undefined;
}

/**
 * Validate the names of a scores table.
 *
 * @example
 * scoresIdents({ table: "scores", columns: { unit: "u" } }).unit.name; // "u"
 */
export function scoresIdents(t: ScoresTable): ScoresIdents {
  const c = t.columns ?? {};
  const opt = (x: string | undefined) => (x === undefined ? undefined : ident(x));
  return {
    table: ident(t.table),
    unit: ident(c.unit ?? "unit"),
    action: ident(c.action ?? "action"),
    tauValue: ident(c.tauValue ?? "tau_value"),
    tauCost: ident(c.tauCost ?? "tau_cost"),
    eligible: opt(c.eligible),
    row: opt(c.row),
    tauValueLower: opt(c.tauValueLower),
    tauValueSe: opt(c.tauValueSe),
    channel: opt(c.channel),
  };
}

/** How the allocated value is read: tau_value, its lower bound, or tau_value - z * se. */
export type ValueSource = { kind: "mean" } | { kind: "lower" } | { kind: "z"; z: number };

/** Names of the staged tables of one allocation. */
export const STAGES = {
  points: "cia_wh_points",
  hull: "cia_wh_hull",
  /** one scoped cap alone: the kept options on (that cap's coefficient, value), their hull */
  resourceHull: "cia_wh_rhull",
  increments: "cia_wh_increments",
  greedy: "cia_wh_greedy",
  fill: "cia_wh_fill",
  choice: "cia_wh_choice",
} as const;

/** The relative tolerance of @cia/optimizer's hull test (4 ulps), written as an exact literal. */
const HULL_TOLERANCE_LITERAL = "8.881784197001252e-16";

/**
 * How channel / action caps change the pruning (@cia/optimizer's `pruneNormalized` with scoped
 * constraints): an option is dominated only by one of its own class (the same channel when a
 * channel is capped; the same action, or two actions no cap names, when actions are capped), and
 * there is no hull pruning (the hull argument needs every option to use every limit alike).
 */
export interface ScopeClasses {
  /** some channel is capped: dominance within a channel, and the stages carry the channel `ch` */
  channel: boolean;
  /** the action codes some cap names */
  actions: readonly number[];
}

/** `, ch` when the stages carry the channel, else nothing. */
export function chCol(scope: ScopeClasses | undefined, prefix = ""): Sql {
  return scope?.channel ? sql`, ${rawSql(`${prefix}ch`)}` : sql``;
}

/**
 * Stage 1: candidates with their prune status (1 ineligible, 2 tau_value <= 0, 3 cost per value
 * above the cap, 4 dominated, 0 on the unit's increasing chain), plus each unit's origin (no
 * offer) when none of its chain options is free, numbered by cost within the unit (`pos`: the
 * origin 0, the others their rank in the dominance window's order, so one sort serves both; the
 * numbers of the chain have gaps where options were dominated, only their order is used).
 * Dominance follows @cia/optimizer's order: cost asc, value desc, action asc, row asc; an option is
 * dominated when an earlier one has at least its value. With `scope` (channel / action caps) the
 * dominance is within a class only, and `chain` (1: above every earlier option of the unit, the
 * points the in-process hull walk can keep) and the channel `ch` come along.
 */
export function pointsSql(
  s: ScoresIdents,
  d: Dialect,
  value: ValueSource,
  maxCostPerValue: number | undefined,
  scope?: ScopeClasses,
): Sql {
  const D = rawSql(d.double);
  const v =
    value.kind === "mean"
      ? sql`CAST(${s.tauValue} AS ${D})`
      : value.kind === "lower"
        ? sql`CAST(${s.tauValueLower!} AS ${D})`
        : sql`(CAST(${s.tauValue} AS ${D}) - CAST(${value.z} AS ${D}) * CAST(${s.tauValueSe!} AS ${D}))`;
  const row = s.row
    ? sql`CAST(${s.row} AS BIGINT)`
    : sql`(ROW_NUMBER() OVER (ORDER BY ${s.unit}, ${s.action}) - 1)`;
  const el = s.eligible ? sql`CAST(${s.eligible} AS BIGINT)` : sql`1`;
  const cpv = maxCostPerValue === undefined ? sql`FALSE` : sql`a > CAST(${maxCostPerValue} AS ${D}) * v`;
  const ch = chCol(scope);
  const srcCh = scope?.channel ? sql`, CAST(${s.channel!} AS BIGINT) AS ch` : sql``;
  const order = sql`ORDER BY a, v DESC, action, row_id`;
  let ranked: Sql;
  let marked: Sql;
  if (scope === undefined) {
    ranked = sql`SELECT unit, action, row_id, tv, a, v, status,
    MAX(v) OVER (PARTITION BY unit ${order}
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_best,
    ROW_NUMBER() OVER (PARTITION BY unit ${order}) AS rn
  FROM st WHERE status = 0`;
    marked = sql`SELECT unit, action, row_id, tv, a, v, status, 0 AS origin, CAST(NULL AS BIGINT) AS pos FROM st WHERE status <> 0
  UNION ALL
  SELECT unit, action, row_id, tv, a, v,
    CASE WHEN prev_best IS NULL OR v > prev_best THEN 0 ELSE 4 END AS status, 0 AS origin, rn AS pos
  FROM ranked`;
  } else {
    const cls: Sql[] = [];
    if (scope.channel) cls.push(sql`ch`);
    if (scope.actions.length > 0) {
      const codes = joinSql(
        scope.actions.map((x) => sql`${intLiteral(x)}`),
        ", ",
      );
      cls.push(sql`CASE WHEN action IN (${codes}) THEN action ELSE 0 END`);
    }
    const by = joinSql([sql`unit`, ...cls], ", ");
    ranked = sql`SELECT unit, action, row_id, tv, a, v, status${ch},
    MAX(v) OVER (PARTITION BY ${by} ${order}
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_best,
    MAX(v) OVER (PARTITION BY unit ${order}
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_all,
    ROW_NUMBER() OVER (PARTITION BY unit ${order}) AS rn
  FROM st WHERE status = 0`;
    marked = sql`SELECT unit, action, row_id, tv, a, v, status, 0 AS origin, CAST(NULL AS BIGINT) AS pos${ch}, 0 AS chain
  FROM st WHERE status <> 0
  UNION ALL
  SELECT unit, action, row_id, tv, a, v,
    CASE WHEN prev_best IS NULL OR v > prev_best THEN 0 ELSE 4 END AS status, 0 AS origin, rn AS pos${ch},
    CASE WHEN prev_all IS NULL OR v > prev_all THEN 1 ELSE 0 END AS chain
  FROM ranked`;
  }
  const tail = scope === undefined ? sql`` : sql`${ch}, chain`;
  const originTail =
    scope === undefined ? sql`` : sql`${scope.channel ? sql`, CAST(-1 AS BIGINT) AS ch` : sql``}, 1 AS chain`;
  return sql`WITH src AS (
  SELECT CAST(${s.unit} AS BIGINT) AS unit, CAST(${s.action} AS BIGINT) AS action, ${row} AS row_id,
    CAST(${s.tauValue} AS ${D}) AS tv, CAST(${s.tauCost} AS ${D}) AS a, ${v} AS v, ${el} AS el${srcCh}
  FROM ${s.table}
), st AS (
  SELECT unit, action, row_id, tv, a, v${ch},
    CASE WHEN el = 0 THEN 1 WHEN NOT (v > 0) THEN 2 WHEN ${cpv} THEN 3 ELSE 0 END AS status
  FROM src
), ranked AS (
  ${ranked}
), marked AS (
  ${marked}
)
SELECT unit, action, row_id, tv, a, v, status, origin, CASE WHEN status = 0 THEN pos END AS pos${tail} FROM marked
UNION ALL
SELECT unit, 0 AS action, -1 AS row_id, CAST(0 AS ${D}) AS tv, CAST(0 AS ${D}) AS a, CAST(0 AS ${D}) AS v,
  0 AS status, 1 AS origin, CAST(0 AS BIGINT) AS pos${originTail}
FROM marked WHERE status = 0 GROUP BY unit HAVING MIN(a) > 0`;
}

/**
 * Stage 2, the start: every chain point (with the origin) a vertex candidate, every unit to be
 * tested (`retest`).
 */
export function hullStartSql(scope?: ScopeClasses, chainOnly = false): Sql {
  if (scope === undefined)
    return sql`SELECT unit, action, row_id, tv, a, v, origin, pos, 1 AS vertex, 1 AS retest FROM ${ident(STAGES.points)} WHERE status = 0`;
  // Scoped caps: every survivor of the dominance is kept; under an efficiency floor the hull of
  // the unit's chain (the points above every earlier one, all the in-process walk can keep) cuts.
  const vx = chainOnly ? sql`chain` : sql`1`;
  return sql`SELECT unit, action, row_id, tv, a, v, origin, pos${chCol(scope)}, ${vx} AS vertex, ${vx} AS retest FROM ${ident(STAGES.points)} WHERE status = 0`;
}

/** A scoped (or global) limit: which options it counts and whether it counts cost or units. */
export interface LimitScope {
  kind: "cost" | "count";
  /** default "all" */
  scope?: "all" | "channel" | "action" | undefined;
  /** the channel or action code of a scoped limit */
  code?: number | undefined;
}

/**
 * A limit's coefficient of an option (@cia/optimizer's `constraintCoefficient`): its cost `a` or 1,
 * and 0 outside the limit's channel or action.
 */
export function coefficientSql(d: Dialect, k: LimitScope, a: Sql = sql`a`): Sql {
  const D = rawSql(d.double);
  const inner = k.kind === "cost" ? a : sql`CAST(1 AS ${D})`;
  if (k.scope === undefined || k.scope === "all") return inner;
  const col = k.scope === "channel" ? sql`ch` : sql`action`;
  return sql`CASE WHEN ${col} = ${intLiteral(k.code!)} THEN ${inner} ELSE CAST(0 AS ${D}) END`;
}

/**
 * One scoped cap alone (@cia/optimizer's single-constraint path with `a` = the cap's coefficient):
 * the kept options of each unit on (coefficient, value), ordered as the in-process insertion sort
 * leaves them (coefficient asc, value desc, then kept order: cost, action, row), with the origin
 * first when every coefficient is > 0; `vertex` starts as the chain (above every earlier point)
 * and the hull passes finish the hull. `a` is the coefficient here and `cost` the tau_cost.
 */
export function resourceHullSql(d: Dialect, k: LimitScope, scope: ScopeClasses): Sql {
  const D = rawSql(d.double);
  const ch = chCol(scope);
  return sql`WITH k AS (
  SELECT unit, action, row_id, tv, ${coefficientSql(d, k, sql`h.a`)} AS a, h.a AS cost, v${ch}
  FROM ${ident(STAGES.hull)} h WHERE vertex = 1 AND origin = 0
), o AS (
  SELECT unit, action, row_id, tv, a, cost, v${ch},
    ROW_NUMBER() OVER (PARTITION BY unit ORDER BY a, v DESC, cost, action, row_id) AS rn,
    MAX(v) OVER (PARTITION BY unit ORDER BY a, v DESC, cost, action, row_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_best
  FROM k
)
SELECT unit, action, row_id, tv, a, cost, v${ch}, 0 AS origin, pos, chain AS vertex, chain AS retest FROM (
  SELECT unit, action, row_id, tv, a, cost, v${ch}, 2 * rn AS pos,
    CASE WHEN prev_best IS NULL OR v > prev_best THEN 1 ELSE 0 END AS chain
  FROM o
) c
UNION ALL
SELECT unit, 0 AS action, -1 AS row_id, CAST(0 AS ${D}) AS tv, CAST(0 AS ${D}) AS a, CAST(0 AS ${D}) AS cost,
  CAST(0 AS ${D}) AS v${scope.channel ? sql`, CAST(-1 AS BIGINT) AS ch` : sql``}, 1 AS origin, CAST(1 AS BIGINT) AS pos, 1 AS vertex, 1 AS retest
FROM o GROUP BY unit HAVING MIN(a) > 0`;
}

/**
 * Stage 2, one pass of the upper concave hull of each unit's chain (with the origin): a candidate
 * is dropped when it lies below the chord between its neighbouring candidates by more than the
 * rounding of the coordinates (the test and tolerance of @cia/optimizer's `upperHullWithOrigin`:
 * cross = (a_b - a_p)(v_i - v_p) - (v_b - v_p)(a_i - a_p) > 4 eps scale). Only units marked
 * `retest` are tested; a unit that lost a point is marked for the next pass. Passes repeat until
 * none drops a point (at most K - 2): what is left is a chain that no point lies above by more
 * than rounding, the hull the in-process walk keeps.
 */
export function hullPassSql(d: Dialect, source: string, extra: Sql = sql``): Sql {
  const tol = sql`CAST(${rawSql(HULL_TOLERANCE_LITERAL)} AS ${rawSql(d.double)})`;
  const src = ident(source);
  return sql`WITH nb AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos${extra},
    LAG(a) OVER w AS pa, LAG(v) OVER w AS pv, LEAD(a) OVER w AS na, LEAD(v) OVER w AS nv
  FROM ${src} WHERE vertex = 1 AND retest = 1
  WINDOW w AS (PARTITION BY unit ORDER BY pos)
), tested AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos${extra},
    CASE WHEN COALESCE(((a - pa) * (nv - pv) - (v - pv) * (na - pa)) > ${tol} * (
        (ABS(a) + ABS(pa)) * ABS(nv - pv) + (ABS(nv) + ABS(pv)) * ABS(a - pa)
        + (ABS(v) + ABS(pv)) * ABS(na - pa) + (ABS(na) + ABS(pa)) * ABS(v - pv)), FALSE)
      THEN 0 ELSE 1 END AS vertex
  FROM nb
)
SELECT unit, action, row_id, tv, a, v, origin, pos${extra}, vertex,
  MIN(vertex) OVER (PARTITION BY unit) * -1 + 1 AS retest
FROM tested
UNION ALL
SELECT unit, action, row_id, tv, a, v, origin, pos${extra}, vertex, 0 AS retest FROM ${src} WHERE vertex = 0 OR retest = 0`;
}

/**
 * Stage 3: hull increments, one row per step between consecutive vertices of a unit (`q` = 1, 2,
 * ... in hull order), with the step's resource `da`, value `dv` and slope, clamped to be
 * non-increasing along the unit's hull (a running minimum, as @cia/optimizer's `buildIncrements`
 * clamps near-collinear steps). `kind` "cost": the resource is tau_cost (the budget); "count": every
 * option uses one unit of the volume cap, so the unit's one step goes from no offer to its most
 * valuable vertex. `q = 0` rows are the start vertex of a unit (a free or cost-saving option).
 */
export function incrementsSql(d: Dialect, kind: "cost" | "count", resource = false): Sql {
  const hull = ident(STAGES.hull);
  // resource: the stage of one scoped cap (`a` its coefficient, `cost` the tau_cost)
  const cost = resource ? sql`, cost` : sql``;
  if (kind === "count") {
    return sql`WITH last AS (
  SELECT unit, action, row_id, tv, a, v,
    ROW_NUMBER() OVER (PARTITION BY unit ORDER BY pos DESC) AS back
  FROM ${hull} WHERE vertex = 1 AND origin = 0
)
SELECT unit, 1 AS q, action AS to_action, row_id AS to_row, 0 AS from_action, -1 AS from_row,
  tv AS to_tv, a AS to_cost, v AS to_v, CAST(1 AS ${rawSql(d.double)}) AS da, v AS dv, v AS slope
FROM last WHERE back = 1`;
  }
  return sql`WITH vx AS (
  SELECT unit, action, row_id, tv, a, v, origin${cost},
    LAG(a) OVER w AS fa, LAG(v) OVER w AS fv, LAG(action) OVER w AS faction,
    LAG(row_id) OVER w AS frow, LAG(origin) OVER w AS forigin,
    ROW_NUMBER() OVER w AS hq
  FROM ${hull} WHERE vertex = 1
  WINDOW w AS (PARTITION BY unit ORDER BY pos)
), steps AS (
  SELECT unit, hq - 1 AS q, action AS to_action, row_id AS to_row,
    CASE WHEN hq = 1 THEN -1 WHEN forigin = 1 THEN 0 ELSE faction END AS from_action,
    CASE WHEN hq = 1 THEN -1 WHEN forigin = 1 THEN -1 ELSE frow END AS from_row,
    tv AS to_tv, ${resource ? sql`cost AS to_cost, a AS to_a` : sql`a AS to_cost`}, v AS to_v,
    CASE WHEN hq = 1 THEN a ELSE a - fa END AS da,
    CASE WHEN hq = 1 THEN v ELSE v - fv END AS dv
  FROM vx WHERE NOT (hq = 1 AND origin = 1)
)
SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost${resource ? sql`, to_a` : sql``}, to_v, da, dv,
  CASE WHEN q = 0 THEN NULL ELSE MIN(CASE WHEN q = 0 THEN NULL ELSE dv / da END)
    OVER (PARTITION BY unit ORDER BY q ROWS UNBOUNDED PRECEDING) END AS slope
FROM steps`;
}

/**
 * Stage 4: the greedy order of the increments (slope desc, then unit, then hull order: the order
 * of @cia/optimizer's selection), the running sum of `da` over it and whether the step is
 * taken whole by the LP (`taken`: the running sum stays within `room`, the cap less the start
 * vertices' spend), plus each unit's last taken step `top_q`.
 */
export function greedySql(d: Dialect, room: number): Sql {
  return sql`WITH ordered AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope,
    SUM(da) OVER (ORDER BY slope DESC, unit, q ROWS UNBOUNDED PRECEDING) AS cum
  FROM ${ident(STAGES.increments)} WHERE q > 0
), flagged AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope,
    CASE WHEN cum <= CAST(${room} AS ${rawSql(d.double)}) THEN 1 ELSE 0 END AS taken
  FROM ordered
)
SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, taken,
  MAX(CASE WHEN taken = 1 THEN q ELSE 0 END) OVER (PARTITION BY unit) AS top_q
FROM flagged`;
}

/**
 * Stage 4, bucketed (`greedy: "bucketed"`): the same taken prefix without sorting every step.
 * Steps fall into linear slope buckets `FLOOR((slope - lo) / width)` (monotone in the slope, so
 * bucket order is greedy order); every step of a bucket above the break bucket `kb` is taken,
 * every step below it is not, and only the break bucket is ordered, its running sum offset by the
 * higher buckets' cost (`roomIn` = room - that cost). On an engine that runs an unpartitioned
 * window on one worker (Spark) this replaces one sort of all steps by a GROUP BY and a small sort.
 */
export function greedyBucketedSql(
  d: Dialect,
  bucket: { lo: number; width: number; kb: number },
  roomIn: number,
): Sql {
  const D = rawSql(d.double);
  const cols = sql`unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope`;
  return sql`WITH inc AS (
  SELECT ${cols}, FLOOR((slope - CAST(${bucket.lo} AS ${D})) / CAST(${bucket.width} AS ${D})) AS bk
  FROM ${ident(STAGES.increments)} WHERE q > 0
), brk AS (
  SELECT ${cols}, SUM(da) OVER (ORDER BY slope DESC, unit, q ROWS UNBOUNDED PRECEDING) AS cum
  FROM inc WHERE bk = CAST(${bucket.kb} AS ${D})
), flagged AS (
  SELECT ${cols}, CASE WHEN cum <= CAST(${roomIn} AS ${D}) THEN 1 ELSE 0 END AS taken FROM brk
  UNION ALL SELECT ${cols}, 1 AS taken FROM inc WHERE bk > CAST(${bucket.kb} AS ${D})
  UNION ALL SELECT ${cols}, 0 AS taken FROM inc WHERE bk < CAST(${bucket.kb} AS ${D})
)
SELECT ${cols}, taken, MAX(CASE WHEN taken = 1 THEN q ELSE 0 END) OVER (PARTITION BY unit) AS top_q
FROM flagged`;
}

/** Per-bucket step count and cost of the bucketed greedy, highest bucket first. */
export function bucketSumsSql(d: Dialect, bucket: { lo: number; width: number }): Sql {
  const D = rawSql(d.double);
  return sql`SELECT bk, COUNT(*) AS n, ${d.preciseSum(sql`da`)} AS da FROM (
  SELECT FLOOR((slope - CAST(${bucket.lo} AS ${D})) / CAST(${bucket.width} AS ${D})) AS bk, da
  FROM ${ident(STAGES.increments)} WHERE q > 0
) s GROUP BY bk ORDER BY bk DESC`;
}

/**
 * The next chunk of fill candidates in greedy order after the key (slope, unit, q) of the last one
 * read (start with slope = +Infinity): steps the LP did not take whole that still fit the
 * remaining `room`. A top-k query, no full sort.
 */
export function fillChunkSql(
  d: Dialect,
  room: number,
  after: { slope: number; unit: number; q: number },
  limit: number,
): Sql {
  const D = rawSql(d.double);
  const s = sql`CAST(${after.slope} AS ${D})`;
  return sql`SELECT unit, q, da, top_q, slope FROM ${ident(STAGES.greedy)}
WHERE taken = 0 AND da <= CAST(${room} AS ${D})
  AND (slope < ${s} OR (slope = ${s} AND (unit > ${after.unit} OR (unit = ${after.unit} AND q > ${after.q}))))
ORDER BY slope DESC, unit, q LIMIT ${intLiteral(limit)}`;
}

/** The first step the LP does not take whole (the break), in greedy order. */
export function breakStepSql(): Sql {
  return sql`SELECT unit, q, da, dv, slope, from_action, to_action FROM ${ident(STAGES.greedy)}
WHERE taken = 0 ORDER BY slope DESC, unit, q LIMIT 1`;
}

/**
 * The greedy trap's alternative (as @cia/optimizer's single-item rule): the one option with the
 * largest gain over its unit's start vertex that fits the room alone, every other unit staying at
 * its start vertex; ties to the lower unit, then lower coefficient (cost under the budget; every
 * option counts 1 under the volume cap), action and row. Options under the
 * hull count too (one can be the best that fits alone); dominated ones never win.
 */
export function singleItemSql(
  d: Dialect,
  kind: "cost" | "count",
  room: number,
  keptOnly = false,
  resource = false,
): Sql {
  const D = rawSql(d.double);
  const step =
    kind === "cost"
      ? sql`p.a - COALESCE(b.${rawSql(resource ? "to_a" : "to_cost")}, 0)`
      : sql`CAST(1 AS ${D})`;
  const gain = kind === "cost" ? sql`p.v - COALESCE(b.to_v, 0)` : sql`p.v`;
  return sql`SELECT unit, row_id, gain FROM (
  SELECT p.unit AS unit, p.row_id AS row_id, p.action AS action, p.a AS a, ${gain} AS gain, ${step} AS da
  FROM ${ident(STAGES.hull)} p LEFT JOIN ${ident(STAGES.increments)} b ON b.unit = p.unit AND b.q = 0
  WHERE p.origin = 0${keptOnly ? sql` AND p.vertex = 1` : sql``}
) s WHERE gain > 0 AND da <= CAST(${room} AS ${D})
ORDER BY gain DESC, unit, ${kind === "cost" ? sql`a, ` : sql``}action, row_id LIMIT 1`;
}

/**
 * The Lagrangian dual at price mu over the kept options, mu cap + sum_u max(0, max_i v_i - mu a_i):
 * a bound on the LP optimum whatever the order of the steps (used when slopes were clamped).
 */
export function dualValueSql(d: Dialect, kind: "cost" | "count", mu: number, resource = false): Sql {
  const a = kind === "cost" ? sql`a` : sql`1`;
  // resource (one scoped cap): over every kept option, as in process (the stage's non-vertices are kept too)
  const where = resource ? sql`origin = 0` : sql`vertex = 1 AND origin = 0`;
  return sql`SELECT COALESCE(${d.preciseSum(sql`best`)}, 0) AS dual FROM (
  SELECT unit, MAX(v - CAST(${mu} AS ${rawSql(d.double)}) * ${a}) AS best FROM ${ident(STAGES.hull)} WHERE ${where} GROUP BY unit
) s WHERE best > 0`;
}

/**
 * Stage 5: each unit's chosen option: its last taken step (LP prefix or fill pass), else its start
 * vertex; `unconstrained`: its most valuable vertex.
 */
export function choiceSql(
  mode: "greedy" | "unconstrained" | "single",
  single?: { unit: number; row: number },
  resource = false,
): Sql {
  const inc = ident(STAGES.increments);
  if (mode === "single") {
    const { unit, row } = single!;
    return sql`SELECT unit, to_action AS action, to_row AS row_id, to_tv AS tv, to_cost AS cost, to_v AS v
FROM ${inc} WHERE q = 0 AND unit <> ${unit}
UNION ALL
SELECT unit, action, row_id, tv, ${resource ? sql`cost` : sql`a AS cost`}, v FROM ${ident(STAGES.hull)} WHERE unit = ${unit} AND row_id = ${row} AND origin = 0`;
  }
  if (mode === "unconstrained") {
    return sql`WITH last AS (
  SELECT unit, action, row_id, tv, a, v, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY pos DESC) AS back
  FROM ${ident(STAGES.hull)} WHERE vertex = 1 AND origin = 0
)
SELECT unit, action, row_id, tv, a AS cost, v FROM last WHERE back = 1`;
  }
  return sql`WITH tops AS (
  SELECT unit, MAX(q) AS q FROM (
    SELECT unit, q FROM ${ident(STAGES.greedy)} WHERE taken = 1
    UNION ALL SELECT unit, q FROM ${ident(STAGES.fill)}
    UNION ALL SELECT unit, q FROM ${inc} WHERE q = 0
  ) t GROUP BY unit
)
SELECT i.unit AS unit, i.to_action AS action, i.to_row AS row_id, i.to_tv AS tv, i.to_cost AS cost, i.to_v AS v
FROM ${inc} i JOIN tops ON i.unit = tops.unit AND i.q = tops.q`;
}

/** Prune counts and the kept options' largest value (for the certificate's gap limit). */
export function pruneCountsSql(d: Dialect, floor = false, scoped = false): Sql {
  // NaN compares above every number in DuckDB and PostgreSQL, so one comparison catches NaN and +-Infinity.
  const big = sql`CAST(1.7976931348623157e308 AS ${rawSql(d.double)})`;
  const pts = ident(STAGES.points);
  const hull = ident(STAGES.hull);
  const count = (cond: Sql) => sql`COALESCE(SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0)`;
  // One scan of each staged table (conditional aggregates), not one per count.
  return sql`SELECT p.total AS total, p.ineligible AS ineligible, p.non_positive_value AS non_positive_value,
  p.cost_per_value_above_cap AS cost_per_value_above_cap, p.dominated AS dominated, p.non_finite AS non_finite,
  h.lp_dominated AS lp_dominated, h.kept AS kept, h.vmax AS vmax, h.below_floor AS below_floor
FROM (SELECT ${count(sql`origin = 0`)} AS total, ${count(sql`status = 1`)} AS ineligible,
    ${count(sql`status = 2`)} AS non_positive_value, ${count(sql`status = 3`)} AS cost_per_value_above_cap,
    ${count(sql`status = 4`)} AS dominated,
    ${count(sql`origin = 0 AND status <> 1 AND (ABS(tv) > ${big} OR ABS(a) > ${big} OR ABS(v) > ${big})`)} AS non_finite
  FROM ${pts}) p
CROSS JOIN (SELECT ${scoped ? sql`0` : count(floor ? sql`origin = 0 AND vertex = 0 AND below = 0` : sql`origin = 0 AND vertex = 0`)} AS lp_dominated,
    ${count(sql`origin = 0 AND vertex = 1`)} AS kept,
    ${floor ? count(scoped ? sql`origin = 0 AND vertex = 0` : sql`origin = 0 AND below = 1`) : sql`0`} AS below_floor,
    MAX(CASE WHEN origin = 0 AND vertex = 1 THEN v END) AS vmax
  FROM ${hull}) h`;
}

/**
 * The marginal efficiency floor R (`minValuePerCost`, the cut of @cia/optimizer's pruning): along
 * each unit's hull (the origin included), the first step whose value gain is below R times its
 * cost, dv < R dc, and every later vertex are `below` the floor and stop being vertices (kept
 * options); the first vertex always stays. Non-vertices keep `below = 0` (they are LP-dominated).
 */
export function floorCutSql(d: Dialect, floor: number, source: string, extra: Sql = sql``): Sql {
  const src = ident(source);
  const R = sql`CAST(${floor} AS ${rawSql(d.double)})`;
  return sql`WITH vx AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos${extra},
    CASE WHEN COALESCE((v - LAG(v) OVER w) < ${R} * (a - LAG(a) OVER w), FALSE) THEN 1 ELSE 0 END AS cut_here
  FROM ${src} WHERE vertex = 1
  WINDOW w AS (PARTITION BY unit ORDER BY pos)
), cut AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos${extra},
    MAX(cut_here) OVER (PARTITION BY unit ORDER BY pos ROWS UNBOUNDED PRECEDING) AS below
  FROM vx
)
SELECT unit, action, row_id, tv, a, v, origin, pos${extra}, 1 - below AS vertex, 0 AS retest, below FROM cut
UNION ALL
SELECT unit, action, row_id, tv, a, v, origin, pos${extra}, vertex, retest, 0 AS below FROM ${src} WHERE vertex = 0`;
}
