import { CiaError } from "@cia/core";
import { type Estimate, baggedEstimates } from "@cia/ope";
import type { SqlEngine } from "./engine.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import {
  EVAL_STAGES,
  type LoggedTable,
  type PolicyTable,
  type RewardModelTable,
  bagSumsSql,
  evaluationIdents,
  replicatesSql,
  roundColumns,
  roundsSql,
} from "./evaluation-sql.js";
import { type Sql, ident, joinSql, sql } from "./sql.js";

/** Options of {@link warehouseEvaluate}. */
export interface WarehouseEvaluateOptions {
  /** Integer seed of the hashed Poisson weights (required: the same seed gives the same interval). */
  seed: number;
  /** Bags B (default 1000; use ~100,000 for 10^7 rows and more). */
  bags?: number | undefined;
  /** Bootstrap replicates R (default 200). */
  resamples?: number | undefined;
  /** Confidence level of the percentile intervals (default 0.95). */
  level?: number | undefined;
  /** Importance-weight clipping (OBP's lambda_), default none. */
  clip?: number | undefined;
  /** Evaluate the cost head too (the logged table needs a cost column; default true). */
  cost?: boolean | undefined;
}

/** Value and (when asked) cost estimates of one estimator. */
export interface HeadPair {
  value: Estimate;
  cost?: Estimate | undefined;
}

/** Result of {@link warehouseEvaluate}: the @cia/ope `Estimate` of every estimator and head. */
export interface WarehouseEvaluation {
  /** logged rounds */
  n: number;
  bags: number;
  resamples: number;
  /** replicates kept (those whose weights are not all zero) */
  kept: number;
  ips: HeadPair;
  snips: HeadPair;
  /** present when a reward model was given */
  dr?: HeadPair | undefined;
  /** mean importance weight (1 in expectation under support; far from 1 flags a problem) */
  meanWeight: number;
}

function invalid(message: string, details: Record<string, unknown> = {}): never {
  throw new CiaError<WarehouseErrorCode>("invalid_input", message, details);
}

async function stage(engine: SqlEngine, name: string, body: Sql): Promise<void> {
  const t = ident(name);
  const t0 = Date.now();
  await engine.run(engine.dialect.dropStage(t));
  await engine.run(engine.dialect.createStage(t, body));
  // CIA_WAREHOUSE_TRACE=1: each stage's time on stderr.
  if (process.env.CIA_WAREHOUSE_TRACE) process.stderr.write(`warehouse: ${name} ${Date.now() - t0} ms\n`);
}

/**
 * Off-policy evaluation as SQL where the log lives: IPS, SNIPS and (with a reward model) DR, for
 * value and cost, with percentile intervals from the two-stage bagged Poisson bootstrap: one scan
 * sums every estimator's per-round terms per bag (bag = hash(unit) mod B), then R replicates draw
 * a hashed Poisson(1) weight per bag (no engine RNG, reproducible from the seed) over the B bag
 * sums. Only R rows of replicate sums come back; the intervals are computed here exactly as
 * `baggedBootstrap` of @cia/ope computes them, so the same seed and bags give the same answers
 * in process and in every engine.
 *
 * SNIPS's per-round terms are w r / mean(w) (normalized once on the full sample, as @cia/ope and OBP
 * do), so its replicates are weighted means of those terms.
 *
 * @example
 * const e = await warehouseEvaluate(engine, { table: "logged" }, { table: "assignment" },
 *   { table: "q_hat" }, { seed: 7, bags: 1000, resamples: 200 });
 * e.dr?.value; // { estimate, lower, upper, se }
 */
export async function warehouseEvaluate(
  engine: SqlEngine,
  logged: LoggedTable,
  policy: PolicyTable,
  model: RewardModelTable | undefined,
  options: WarehouseEvaluateOptions,
): Promise<WarehouseEvaluation> {
  const bags = options.bags ?? 1000;
  const resamples = options.resamples ?? 200;
  const level = options.level ?? 0.95;
  const withCost = options.cost ?? true;
  if (!Number.isInteger(options.seed))
    throw new CiaError<WarehouseErrorCode>("invalid_option", `seed must be an integer, got ${options.seed}`);
  if (!(Number.isInteger(bags) && bags >= 1))
    throw new CiaError<WarehouseErrorCode>("invalid_option", `bags must be a positive integer, got ${bags}`);
  if (!(Number.isInteger(resamples) && resamples >= 2))
    throw new CiaError<WarehouseErrorCode>(
      "invalid_option",
      `resamples must be an integer >= 2, got ${resamples}`,
    );
  if (!(level > 0 && level < 1))
    throw new CiaError<WarehouseErrorCode>("invalid_option", `level must be in (0, 1)`);
  if (options.clip !== undefined && !(options.clip >= 0))
    throw new CiaError<WarehouseErrorCode>("invalid_option", `clip must be >= 0, got ${options.clip}`);
  const t = evaluationIdents(logged, policy, model, withCost);
  const d = engine.dialect;
  const withModel = model !== undefined;
  const cols = roundColumns(withCost, withModel);
  await stage(engine, EVAL_STAGES.rounds, roundsSql(t, d, { bags, clip: options.clip }));
  const checks = await engine.query(sql`SELECT COUNT(*) AS n,
  SUM(CASE WHEN NOT (p > 0 AND p <= 1) THEN 1 ELSE 0 END) AS bad_p,
  SUM(CASE WHEN has_policy = 0 THEN 1 ELSE 0 END) AS no_policy
  ${withModel ? sql`, SUM(q_missing) AS q_missing` : sql``},
  ${joinSql(
    cols.map((c) => sql`${d.preciseSum(sql`${ident(c)}`)} / COUNT(*) AS ${ident(`m_${c}`)}`),
    ", ",
  )}
  FROM ${ident(EVAL_STAGES.rounds)}`);
  const c = checks[0]!;
  const n = Number(c.n);
  if (n === 0) invalid(`${logged.table} has no rows`);
  if (Number(c.bad_p) > 0)
    invalid(
      `${c.bad_p} rows of ${logged.table} have a propensity outside (0, 1]: fix the logging propensities`,
      {
        table: logged.table,
      },
    );
  if (Number(c.no_policy) > 0)
    invalid(
      `${c.no_policy} logged rows have no row in ${policy.table}: the target policy must cover every logged unit`,
      {
        table: policy.table,
      },
    );
  if (withModel && Number(c.q_missing) > 0)
    invalid(`${c.q_missing} logged rows lack a reward-model prediction in ${model!.table} for some action`, {
      table: model!.table,
    });
  const mean = (col: string) => Number(c[`m_${col}`]);
  const meanW = mean("w");
  if (!(meanW > 0)) invalid("every importance weight is zero: the target policy never takes a logged action");
  await stage(engine, EVAL_STAGES.bags, bagSumsSql(cols));
  const t0 = Date.now();
  const reps = await engine.query(replicatesSql(d, cols, { resamples, seed: options.seed }));
  if (process.env.CIA_WAREHOUSE_TRACE) process.stderr.write(`warehouse: replicates ${Date.now() - t0} ms\n`);
  // Replicate means, one column per estimator head; SNIPS is IPS's sums over mean(w).
  const heads: { key: string; col: string; scale: number }[] = [
    { key: "ips/value", col: "ips_v", scale: 1 },
    { key: "snips/value", col: "ips_v", scale: 1 / meanW },
  ];
  if (withCost) {
    heads.push(
      { key: "ips/cost", col: "ips_c", scale: 1 },
      { key: "snips/cost", col: "ips_c", scale: 1 / meanW },
    );
  }
  if (withModel) {
    heads.push({ key: "dr/value", col: "dr_v", scale: 1 });
    if (withCost) heads.push({ key: "dr/cost", col: "dr_c", scale: 1 });
  }
  const m = heads.length;
  const kept = reps.filter((r) => Number(r.total) > 0);
  const replicates = new Float64Array(kept.length * m);
  kept.forEach((r, b) => {
    const total = Number(r.total);
    heads.forEach((h, j) => {
      replicates[b * m + j] = (Number(r[`r_${h.col}`]) * h.scale) / total;
    });
  });
  const means = heads.map((h) => mean(h.col) * h.scale);
  const est = baggedEstimates(means, replicates, level);
  const get = (key: string) => est[heads.findIndex((h) => h.key === key)]!;
  const pair = (name: string): HeadPair => ({
    value: get(`${name}/value`),
    ...(withCost ? { cost: get(`${name}/cost`) } : {}),
  });
  return {
    n,
    bags,
    resamples,
    kept: kept.length,
    ips: pair("ips"),
    snips: pair("snips"),
    ...(withModel ? { dr: pair("dr") } : {}),
    meanWeight: meanW,
  };
}
