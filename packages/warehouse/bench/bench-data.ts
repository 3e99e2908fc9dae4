/**
 * Benchmark data generated identically in JavaScript and in SQL: every number comes from the
 * integer hash of @cia/ope's bagged bootstrap (exact below 2^53 in both) and IEEE operations that
 * are correctly rounded everywhere (+, *, /, sqrt), so the engine's table and the in-process arrays
 * hold the same doubles without moving 10^7 rows between them.
 */
import { BAGGED_HASH } from "@cia/ope";
import { type Candidates, createCandidates } from "@cia/optimizer";
import type { Dialect } from "../src/dialect.js";
import { type Sql, ident, intLiteral, rawSql, sql } from "../src/sql.js";

const P = BAGGED_HASH.modulus;
const A = BAGGED_HASH.multiplier;
const C = BAGGED_HASH.increment;
const mix = (h: number) => (h * h + h * A + C) % P;
export const ACTIONS = 4;

/** Per (unit, action): cost and value with diminishing returns, 5% useless options. */
export function candidatesJs(n: number): Candidates {
  const rows = n * ACTIONS;
  const unit = new Int32Array(rows);
  const action = new Int32Array(rows);
  const tauValue = new Float64Array(rows);
  const tauCost = new Float64Array(rows);
  let i = 0;
  for (let u = 0; u < n; u++) {
    const s = 1 + 9 * (mix(mix((u * 5) % P)) / P);
    for (let a = 1; a <= ACTIONS; a++) {
      const h1 = mix(mix((u * 5 + a) % P));
      const h2 = mix(h1);
      const h3 = mix(h2);
      const u1 = h1 / P;
      const u2 = h2 / P;
      const u3 = h3 / P;
      unit[i] = u;
      action[i] = a;
      tauCost[i] = a * (0.5 + u1) * 3;
      tauValue[i] = u3 < 0.05 ? -(u3 * 40) : s * Math.sqrt(a) * (0.3 + u2);
      i++;
    }
  }
  return createCandidates({ nUnits: n, unit, action, tauValue, tauCost });
}

function series(d: Dialect, lo: number, hi: number): Sql {
  return d.name === "postgres"
    ? sql`(SELECT CAST(g AS BIGINT) AS u FROM generate_series(${intLiteral(lo)}, ${intLiteral(hi - 1)}) AS s(g))`
    : sql`(SELECT CAST(range AS BIGINT) AS u FROM range(${intLiteral(lo)}, ${intLiteral(hi)}))`;
}

const mixSql = (c: string) =>
  sql`((${rawSql(c)} * ${rawSql(c)} + ${rawSql(c)} * ${intLiteral(A)} + ${intLiteral(C)}) % ${intLiteral(P)})`;

/** The same candidates as SQL (units lo..hi-1): `unit, action, tau_value, tau_cost, row_id`. */
export function candidatesSql(d: Dialect, lo: number, hi: number): Sql {
  const D = rawSql(d.double);
  const dbl = (x: string) => sql`CAST(${rawSql(`'${x}'`)} AS ${D})`;
  const f = rawSql(d.fence);
  const Pd = sql`CAST(${intLiteral(P)} AS ${D})`;
  return sql`WITH base AS (
  SELECT s.u AS u, a.a AS a, (s.u * 5) % ${intLiteral(P)} AS k0, (s.u * 5 + a.a) % ${intLiteral(P)} AS j0
  FROM ${series(d, lo, hi)} s CROSS JOIN (SELECT 1 AS a UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) a${f}
), m1 AS (SELECT u, a, ${mixSql("k0")} AS k1, ${mixSql("j0")} AS j1 FROM base${f}
), m2 AS (SELECT u, a, ${mixSql("k1")} AS k2, ${mixSql("j1")} AS h1 FROM m1${f}
), m3 AS (SELECT u, a, k2, h1, ${mixSql("h1")} AS h2 FROM m2${f}
), m4 AS (SELECT u, a, k2, h1, h2, ${mixSql("h2")} AS h3 FROM m3${f}
), un AS (
  SELECT u, a, ${dbl("1")} + ${dbl("9")} * (CAST(k2 AS ${D}) / ${Pd}) AS s, CAST(h1 AS ${D}) / ${Pd} AS u1,
    CAST(h2 AS ${D}) / ${Pd} AS u2, CAST(h3 AS ${D}) / ${Pd} AS u3 FROM m4${f}
)
SELECT CAST(u AS BIGINT) AS unit, CAST(a AS INTEGER) AS action,
  CASE WHEN u3 < ${dbl("0.05")} THEN -(u3 * ${dbl("40")}) ELSE s * SQRT(CAST(a AS ${D})) * (${dbl("0.3")} + u2) END AS tau_value,
  CAST(a AS ${D}) * (${dbl("0.5")} + u1) * ${dbl("3")} AS tau_cost,
  CAST(u * 4 + a - 1 AS BIGINT) AS row_id
FROM un`;
}

/** Logged data (one round per unit, uniform logging over 4 arms), a deterministic policy and q_hat, in JS. */
export interface LoggedJs {
  unit: Float64Array;
  action: Int32Array;
  propensity: Float64Array;
  value: Float64Array;
  cost: Float64Array;
  /** n x 4 */
  target: Float64Array;
  qValue: Float64Array;
  qCost: Float64Array;
}

function loggedUnit(u: number) {
  const k = mix(mix((u * 5) % P));
  const s = 1 + 9 * (k / P);
  const g1 = mix(k);
  const g2 = mix(g1);
  const g3 = mix(g2);
  const g4 = mix(g3);
  const logged = g1 % 4;
  const assigned = g2 % 4;
  return {
    s,
    logged,
    assigned,
    value: s * (g3 / P - 0.5) + 0.5 * logged,
    cost: logged * (g4 / P),
  };
}

/** q_hat(u, a) = 0.2 s + 0.5 a for value, 0.5 a for cost. */
const qv = (s: number, a: number) => 0.2 * s + 0.5 * a;
const qc = (a: number) => 0.5 * a;

export function loggedJs(n: number): LoggedJs {
  const unit = new Float64Array(n);
  const action = new Int32Array(n);
  const propensity = new Float64Array(n).fill(0.25);
  const value = new Float64Array(n);
  const cost = new Float64Array(n);
  const target = new Float64Array(n * 4);
  const qValue = new Float64Array(n * 4);
  const qCost = new Float64Array(n * 4);
  for (let u = 0; u < n; u++) {
    const r = loggedUnit(u);
    unit[u] = u;
    action[u] = r.logged;
    value[u] = r.value;
    cost[u] = r.cost;
    target[u * 4 + r.assigned] = 1;
    for (let a = 0; a < 4; a++) {
      qValue[u * 4 + a] = qv(r.s, a);
      qCost[u * 4 + a] = qc(a);
    }
  }
  return { unit, action, propensity, value, cost, target, qValue, qCost };
}

/** The three tables of the evaluation for units lo..hi-1, as SQL (logged, policy, q_hat). */
export function loggedSql(d: Dialect, lo: number, hi: number): Record<"logged" | "policy" | "q_hat", Sql> {
  const D = rawSql(d.double);
  const dbl = (x: string) => sql`CAST(${rawSql(`'${x}'`)} AS ${D})`;
  const f = rawSql(d.fence);
  const Pd = sql`CAST(${intLiteral(P)} AS ${D})`;
  const units = sql`WITH b AS (SELECT u, (u * 5) % ${intLiteral(P)} AS k0 FROM ${series(d, lo, hi)} s${f}
), c1 AS (SELECT u, ${mixSql("k0")} AS k1 FROM b${f}
), c2 AS (SELECT u, ${mixSql("k1")} AS k FROM c1${f}
), c3 AS (SELECT u, k, ${mixSql("k")} AS g1 FROM c2${f}
), c4 AS (SELECT u, k, g1, ${mixSql("g1")} AS g2 FROM c3${f}
), c5 AS (SELECT u, k, g1, g2, ${mixSql("g2")} AS g3 FROM c4${f}
), c6 AS (SELECT u, k, g1, g2, g3, ${mixSql("g3")} AS g4 FROM c5${f}
), un AS (SELECT u, ${dbl("1")} + ${dbl("9")} * (CAST(k AS ${D}) / ${Pd}) AS s, g1 % 4 AS logged, g2 % 4 AS assigned,
  CAST(g3 AS ${D}) / ${Pd} AS u3, CAST(g4 AS ${D}) / ${Pd} AS u4 FROM c6${f})`;
  return {
    logged: sql`${units}
SELECT CAST(u AS BIGINT) AS unit_id, CAST(logged AS INTEGER) AS action, ${dbl("0.25")} AS propensity,
  s * (u3 - ${dbl("0.5")}) + ${dbl("0.5")} * CAST(logged AS ${D}) AS value, CAST(logged AS ${D}) * u4 AS cost FROM un`,
    policy: sql`${units}
SELECT CAST(u AS BIGINT) AS unit_id, CAST(assigned AS INTEGER) AS action, ${dbl("1")} AS probability FROM un`,
    q_hat: sql`${units}
SELECT CAST(u AS BIGINT) AS unit_id, CAST(a.a AS INTEGER) AS action,
  ${dbl("0.2")} * s + ${dbl("0.5")} * CAST(a.a AS ${D}) AS q_value, ${dbl("0.5")} * CAST(a.a AS ${D}) AS q_cost
FROM un CROSS JOIN (SELECT 0 AS a UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) a`,
  };
}

export { ident };
