import { BAGGED_HASH, poissonThresholds } from "@cia/ope";
import type { Dialect } from "./dialect.js";
import { type Ident, type Sql, ident, intLiteral, joinSql, rawSql, sql } from "./sql.js";

/** The logged decisions: one row per logged round (the experiment table's reserved columns). */
export interface LoggedTable {
  table: string;
  columns?:
    | {
        /** integer unit key: the bootstrap's bag is hash(unit) mod B, and the policy / model join on it */
        unit?: string | undefined;
        /** logged action code (0 = no offer) */
        action?: string | undefined;
        propensity?: string | undefined;
        value?: string | undefined;
        /** optional: estimates of the cost head need it */
        cost?: string | undefined;
      }
    | undefined;
}

/** The target policy, long layout: pi_e(action | unit); `probability` defaults to 1 (an assignment). */
export interface PolicyTable {
  table: string;
  columns?:
    | { unit?: string | undefined; action?: string | undefined; probability?: string | undefined }
    | undefined;
}

/** Reward-model predictions q_hat(unit, action) for every action (DR needs them), long layout. */
export interface RewardModelTable {
  table: string;
  columns?:
    | {
        unit?: string | undefined;
        action?: string | undefined;
        qValue?: string | undefined;
        qCost?: string | undefined;
      }
    | undefined;
}

/** The validated names of an evaluation's tables. */
export interface EvaluationIdents {
  logged: {
    table: Ident;
    unit: Ident;
    action: Ident;
    propensity: Ident;
    value: Ident;
    cost: Ident | undefined;
  };
  policy: { table: Ident; unit: Ident; action: Ident; probability: Ident | undefined };
  model: { table: Ident; unit: Ident; action: Ident; qValue: Ident; qCost: Ident | undefined } | undefined;
}

/**
 * Validate the table and column names of an evaluation.
 *
 * @example
 * evaluationIdents({ table: "logged" }, { table: "assignment" }, undefined).logged.value.name; // "value"
 */
export function evaluationIdents(
  logged: LoggedTable,
  policy: PolicyTable,
  model: RewardModelTable | undefined,
  withCost: boolean,
): EvaluationIdents {
  const l = logged.columns ?? {};
  const p = policy.columns ?? {};
  const m = model?.columns ?? {};
  return {
    logged: {
      table: ident(logged.table),
      unit: ident(l.unit ?? "unit_id"),
      action: ident(l.action ?? "action"),
      propensity: ident(l.propensity ?? "propensity"),
      value: ident(l.value ?? "value"),
      cost: withCost ? ident(l.cost ?? "cost") : undefined,
    },
    policy: {
      table: ident(policy.table),
      unit: ident(p.unit ?? "unit_id"),
      action: ident(p.action ?? "action"),
      probability: p.probability === undefined ? undefined : ident(p.probability),
    },
    model: model
      ? {
          table: ident(model.table),
          unit: ident(m.unit ?? "unit_id"),
          action: ident(m.action ?? "action"),
          qValue: ident(m.qValue ?? "q_value"),
          qCost: withCost ? ident(m.qCost ?? "q_cost") : undefined,
        }
      : undefined,
  };
}

/** Staged tables of one evaluation. */
export const EVAL_STAGES = { rounds: "cia_wh_rounds", bags: "cia_wh_bags" } as const;

const P = BAGGED_HASH.modulus;

/** mix(h) = (h*h + h*A + C) mod P as SQL on an expression that is a plain column name. */
function mix(col: string): Sql {
  const c = rawSql(col);
  return sql`((${c} * ${c} + ${c} * ${intLiteral(BAGGED_HASH.multiplier)} + ${intLiteral(BAGGED_HASH.increment)}) % ${intLiteral(P)})`;
}

/** The per-round terms of the estimators: the names of the round columns, in a fixed order. */
export function roundColumns(withCost: boolean, withModel: boolean): string[] {
  const out = ["ips_v", "w"];
  if (withCost) out.push("ips_c");
  if (withModel) {
    out.push("dr_v");
    if (withCost) out.push("dr_c");
  }
  return out;
}

/**
 * Stage 1: one row per logged round with its bag (`mix(mix(unit mod P)) mod bags`, the hash of
 * @cia/ope's `bagOf`), importance weight w = min(pi_e(a_i) / pi_b(a_i), clip) and the per-round
 * terms of IPS (w r), DR (q_hat(x, pi_e) + w (r - q_hat(x, a_i)), with q_hat(x, pi_e) divided by
 * the policy's row sum as @cia/ope's direct method does) for value and, when present, cost.
 */
export function roundsSql(
  t: EvaluationIdents,
  d: Dialect,
  options: { bags: number; clip: number | undefined },
): Sql {
  const D = rawSql(d.double);
  const L = t.logged;
  const Pt = t.policy;
  const M = t.model;
  const prob = Pt.probability ? sql`CAST(${Pt.probability} AS ${D})` : sql`CAST(1 AS ${D})`;
  const cost = L.cost ? sql`, CAST(${L.cost} AS ${D}) AS c` : sql``;
  const wExpr =
    options.clip === undefined || !Number.isFinite(options.clip)
      ? sql`COALESCE(pe.prob, 0) / lg.p`
      : sql`LEAST(COALESCE(pe.prob, 0) / lg.p, CAST(${options.clip} AS ${D}))`;
  const withCost = L.cost !== undefined;
  const fence = rawSql(d.fence);
  const modelCtes = M
    ? sql`, q AS (
  SELECT CAST(${M.unit} AS BIGINT) AS unit, CAST(${M.action} AS BIGINT) AS action,
    CAST(${M.qValue} AS ${D}) AS qv${M.qCost ? sql`, CAST(${M.qCost} AS ${D}) AS qc` : sql``}
  FROM ${M.table}
), dm AS (
  SELECT pe.unit AS unit, SUM(pe.prob * q.qv) / SUM(pe.prob) AS dm_v${withCost ? sql`, SUM(pe.prob * q.qc) / SUM(pe.prob) AS dm_c` : sql``},
    COUNT(q.unit) AS q_rows, COUNT(*) AS pe_rows
  FROM pe LEFT JOIN q ON q.unit = pe.unit AND q.action = pe.action GROUP BY pe.unit
)`
    : sql``;
  const modelJoin = M
    ? sql` LEFT JOIN dm ON dm.unit = lg.unit LEFT JOIN q ql ON ql.unit = lg.unit AND ql.action = lg.action`
    : sql``;
  const modelCols = M
    ? sql`, dm.dm_v AS dm_v, ql.qv AS ql_v${withCost ? sql`, dm.dm_c AS dm_c, ql.qc AS ql_c` : sql``}, dm.q_rows - dm.pe_rows AS q_missing, ql.unit AS ql_unit`
    : sql``;
  const outCols: Sql[] = [sql`unit`, sql`bag`, sql`w`, sql`w * r AS ips_v`];
  if (withCost) outCols.push(sql`w * c AS ips_c`);
  if (M) {
    outCols.push(sql`dm_v + w * (r - ql_v) AS dr_v`);
    if (withCost) outCols.push(sql`dm_c + w * (c - ql_c) AS dr_c`);
    outCols.push(sql`CASE WHEN q_missing < 0 OR ql_unit IS NULL THEN 1 ELSE 0 END AS q_missing`);
  }
  outCols.push(sql`p`, sql`has_policy`);
  return sql`WITH lg AS (
  SELECT CAST(${L.unit} AS BIGINT) AS unit, CAST(${L.action} AS BIGINT) AS action,
    CAST(${L.propensity} AS ${D}) AS p, CAST(${L.value} AS ${D}) AS r${cost}
  FROM ${L.table}
), pe AS (
  SELECT CAST(${Pt.unit} AS BIGINT) AS unit, CAST(${Pt.action} AS BIGINT) AS action, ${prob} AS prob
  FROM ${Pt.table}
), pu AS (
  SELECT DISTINCT unit FROM pe
)${modelCtes}, joined AS (
  SELECT lg.*, ${wExpr} AS w, CASE WHEN pu.unit IS NULL THEN 0 ELSE 1 END AS has_policy${modelCols},
    ((lg.unit % ${intLiteral(P)}) + ${intLiteral(P)}) % ${intLiteral(P)} AS h0
  FROM lg LEFT JOIN pe ON pe.unit = lg.unit AND pe.action = lg.action
    LEFT JOIN pu ON pu.unit = lg.unit${modelJoin}
), hash1 AS (
  SELECT joined.*, ${mix("h0")} AS h1 FROM joined${fence}
), hashed AS (
  SELECT hash1.*, ${mix("h1")} % ${intLiteral(options.bags)} AS bag FROM hash1${fence}
)
SELECT ${joinSql(outCols, ", ")} FROM hashed`;
}

/** Stage 2: per-bag counts and sums of every round column (one scan of the rounds). */
export function bagSumsSql(columns: readonly string[]): Sql {
  const sums = joinSql(
    columns.map((c) => sql`SUM(${ident(c)}) AS ${ident(`s_${c}`)}`),
    ", ",
  );
  return sql`SELECT bag, COUNT(*) AS n, ${sums} FROM ${ident(EVAL_STAGES.rounds)} GROUP BY bag`;
}

/**
 * Stage 3: the replicates over bags. Replicate r draws bag b's Poisson(1) weight by inverting the
 * CDF at the hash `mix(mix((mix((seed + r) mod P) + b) mod P))` (integer thresholds of @cia/ope's
 * `poissonThresholds`), and sums c * n and c * S per column: R x B rows, never R x n.
 */
export function replicatesSql(
  d: Dialect,
  columns: readonly string[],
  options: { resamples: number; seed: number },
): Sql {
  const thresholds = poissonThresholds();
  const count = joinSql(
    thresholds.map((t) => sql`CASE WHEN h3 >= ${intLiteral(t)} THEN 1 ELSE 0 END`),
    " + ",
  );
  const sums = joinSql(
    columns.map((c) => sql`SUM(c * ${ident(`s_${c}`)}) AS ${ident(`r_${c}`)}`),
    ", ",
  );
  const seed = intLiteral(((options.seed % P) + P) % P);
  const fence = rawSql(d.fence);
  return sql`WITH reps AS (
  SELECT r, (r + ${seed}) % ${intLiteral(P)} AS k0 FROM ${d.series(options.resamples)} s
), reps1 AS (
  SELECT r, ${mix("k0")} AS k1 FROM reps${fence}
), pairs AS (
  SELECT reps1.r AS r, b.*, (reps1.k1 + b.bag) % ${intLiteral(P)} AS h1
  FROM reps1 CROSS JOIN ${ident(EVAL_STAGES.bags)} b${fence}
), pairs2 AS (
  SELECT pairs.*, ${mix("h1")} AS h2 FROM pairs${fence}
), pairs3 AS (
  SELECT pairs2.*, ${mix("h2")} AS h3 FROM pairs2${fence}
), weighted AS (
  SELECT pairs3.*, ${count} AS c FROM pairs3${fence}
)
SELECT r, SUM(c * n) AS total, ${sums} FROM weighted GROUP BY r ORDER BY r`;
}
