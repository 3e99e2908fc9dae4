import { CiaError } from "@cia/core";
import { readExperimentTable, reindexActions, writeFileAtomic, writeTable } from "@cia/logging-schema";
import type { AllocationOptions } from "@cia/optimizer";
import { allocationSummary } from "@cia/optimizer";
import {
  type LoadColumn,
  type SqlEngine,
  createDuckDbEngine,
  createPostgresEngine,
  ident,
  sql,
  warehouseAllocate,
  warehouseEvaluate,
} from "@cia/warehouse";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { readPolicy } from "../io/policy-table.js";
import { readScores } from "../io/scores-table.js";
import { usageError } from "../io/usage-error.js";

/** The flags `cia allocate` and `cia evaluate` take to run as SQL where the data lives. */
export interface WarehouseFlags {
  /** duckdb (embedded; --dsn is a database file, in memory without it) or postgres (--dsn required) */
  engine?: string | undefined;
  /** DuckDB database file, or a PostgreSQL connection string */
  dsn?: string | undefined;
  /** The input table in the engine (scores for allocate, the logged table for evaluate) instead of a file */
  table?: string | undefined;
}

/**
 * Open the engine named by the flags (usage errors, exit 2, for a bad combination).
 *
 * @example
 * const engine = await openWarehouse({ engine: "duckdb" });
 */
export async function openWarehouse(flags: WarehouseFlags): Promise<SqlEngine> {
  if (flags.engine === "duckdb") return createDuckDbEngine(flags.dsn ? { path: flags.dsn } : {});
  if (flags.engine === "postgres") {
    if (!flags.dsn) throw usageError("--engine postgres needs --dsn postgresql://user@host:port/db");
    return createPostgresEngine({ dsn: flags.dsn });
  }
  throw usageError(`--engine must be duckdb or postgres, got '${flags.engine}'`);
}

function checkTableFlag(flags: WarehouseFlags, fileFlag: string, file: string | undefined): void {
  if (flags.table === undefined && file === undefined)
    throw usageError(`give ${fileFlag} FILE or --table NAME with --engine`);
  if (flags.table !== undefined && flags.engine === "duckdb" && !flags.dsn)
    throw usageError("--table needs --dsn: the DuckDB database file that holds the table");
}

/** Options of {@link warehouseAllocateCommand}: the allocate flags the SQL path supports. */
export interface WarehouseAllocateCommandOptions extends WarehouseFlags {
  scores?: string | undefined;
  budget: number;
  maxTreated?: number | undefined;
  minValuePerCost?: number | undefined;
  maxCostPerValue?: number | undefined;
  riskZ?: number | undefined;
  control: string;
  out: string;
  /** in-process only: refused with --engine */
  holdout?: string | undefined;
  calibrateSpend?: boolean | undefined;
  explore?: number | undefined;
  decisionsOut?: string | undefined;
}

const SCORES = "cia_cli_scores";

/**
 * `cia allocate --engine duckdb|postgres`: the allocation as SQL in the engine (`@cia/warehouse`),
 * on the scores file loaded into it or on `--table` (the scores contract's columns `unit_id,
 * action, tau_value, tau_cost[, tau_value_lower]`); writes the same assignment CSV and summary as
 * the in-process command.
 *
 * @example
 * await warehouseAllocateCommand({ engine: "duckdb", scores: "scores.csv", budget: 5000, control: "control", out: "assignment.csv" });
 */
export async function warehouseAllocateCommand(opts: WarehouseAllocateCommandOptions): Promise<void> {
  checkTableFlag(opts, "--scores", opts.scores);
  for (const [flag, v] of [
    ["--holdout", opts.holdout],
    ["--calibrate-spend", opts.calibrateSpend],
    ["--explore", opts.explore],
    ["--decisions-out", opts.decisionsOut],
  ] as const)
    if (v !== undefined && v !== false)
      throw usageError(`${flag} is not supported with --engine (drop one of them)`);
  guardPaths({
    inputs: {
      "--scores": opts.table === undefined ? opts.scores : undefined,
      "--dsn": opts.engine === "duckdb" ? opts.dsn : undefined,
    },
    outputs: { "--out": opts.out },
  });
  const engine = await openWarehouse(opts);
  try {
    let unitIds: string[];
    let actions: string[];
    let hasLower: boolean;
    if (opts.table === undefined) {
      const s = await readScores(opts.scores!, { control: opts.control });
      const A = s.actions.length;
      const unit: number[] = [];
      const action: number[] = [];
      const tv: number[] = [];
      const tc: number[] = [];
      const lower: number[] = [];
      for (let i = 0; i < s.unitIds.length; i++)
        for (let a = 0; a < A; a++) {
          const v = s.tauValue[i * A + a]!;
          if (Number.isNaN(v)) continue; // a missing (unit, action) pair is not a candidate
          unit.push(i);
          action.push(a + 1);
          tv.push(v);
          tc.push(s.tauCost[i * A + a]!);
          if (s.tauValueLower) lower.push(s.tauValueLower[i * A + a]!);
        }
      const cols: LoadColumn[] = [
        { name: "unit", type: "bigint", values: unit },
        { name: "action", type: "integer", values: action },
        { name: "tau_value", type: "double", values: tv },
        { name: "tau_cost", type: "double", values: tc },
      ];
      hasLower = s.tauValueLower !== undefined;
      if (hasLower) cols.push({ name: "tau_value_lower", type: "double", values: lower });
      await engine.load(SCORES, cols);
      unitIds = s.unitIds;
      actions = [opts.control, ...s.actions];
    } else {
      // Units and actions of the table mapped to the optimizer's integer codes in the engine.
      const t = ident(opts.table);
      const colRows = await engine.query(sql`SELECT * FROM ${t} LIMIT 1`);
      hasLower = colRows.length > 0 && "tau_value_lower" in colRows[0]!;
      await engine.run(sql`DROP TABLE IF EXISTS ${ident(SCORES)}`);
      await engine.run(sql`CREATE TABLE ${ident(SCORES)} AS
SELECT DENSE_RANK() OVER (ORDER BY CAST(unit_id AS TEXT)) - 1 AS unit,
  DENSE_RANK() OVER (ORDER BY CAST(action AS TEXT)) AS action, CAST(unit_id AS TEXT) AS unit_id,
  CAST(action AS TEXT) AS action_name, tau_value, tau_cost${hasLower ? sql`, tau_value_lower` : sql``}
FROM ${t} WHERE CAST(action AS TEXT) <> ${opts.control}`);
      const units = await engine.query(
        sql`SELECT DISTINCT unit, unit_id FROM ${ident(SCORES)} ORDER BY unit`,
      );
      unitIds = units.map((r) => String(r.unit_id));
      const acts = await engine.query(
        sql`SELECT DISTINCT action, action_name FROM ${ident(SCORES)} ORDER BY action`,
      );
      actions = [opts.control, ...acts.map((r) => String(r.action_name))];
    }
    const options: AllocationOptions = { budget: opts.budget };
    if (opts.maxTreated !== undefined) options.maxTreated = opts.maxTreated;
    if (opts.minValuePerCost !== undefined) options.minValuePerCost = opts.minValuePerCost;
    if (opts.maxCostPerValue !== undefined) options.maxCostPerValue = opts.maxCostPerValue;
    if (opts.riskZ !== undefined) {
      if (!hasLower)
        throw new CiaError(
          "invalid_input",
          "--risk-z needs a tau_value_lower column (train with --bootstraps)",
        );
      options.risk = "lower";
    }
    const result = await warehouseAllocate(
      engine,
      {
        table: SCORES,
        columns: hasLower ? { tauValueLower: "tau_value_lower" } : {},
        nUnits: unitIds.length,
      },
      options,
    );
    const rows = function* () {
      for (let i = 0; i < unitIds.length; i++)
        yield { unit_id: unitIds[i]!, action: actions[result.action[i]!]! };
    };
    await writeTable(opts.out, rows(), { columns: ["unit_id", "action"], format: "csv" });
    const perAction: Record<string, number> = {};
    for (const a of result.action) perAction[actions[a]!] = (perAction[actions[a]!] ?? 0) + 1;
    printSummary({
      ...allocationSummary(result),
      out: opts.out,
      engine: opts.engine,
      relative_gap: result.totals.relative_gap,
      method: result.certificate.method,
      rounding: result.certificate.rounding,
      pruned: result.prune,
      actions: perAction,
    });
  } catch (e) {
    if (CiaError.isInstance(e) && e.code === "unsupported_option")
      throw usageError(`${e.message} (drop --engine)`);
    throw e;
  } finally {
    await engine.close();
  }
}

/** Options of {@link warehouseEvaluateCommand}. */
export interface WarehouseEvaluateCommandOptions extends WarehouseFlags {
  data?: string | undefined;
  policy: string;
  model?: string | undefined;
  baseline?: string | undefined;
  control: string;
  bootstraps: number;
  seed: string;
  /** bags of the two-stage bootstrap (default 1000, at most the number of units) */
  bags?: number | undefined;
  out: string;
}

/**
 * `cia evaluate --engine duckdb|postgres`: IPS, SNIPS and DR (reward model: per-action means of
 * the log, computed in the engine) for value and cost with the two-stage bagged Poisson bootstrap
 * (`--bootstraps` replicates, bags of units, seeded hash), the logged table from `--data` loaded
 * into the engine or read from `--table`; writes ope.json with `estimates.<ips|snips|dr>.<value|cost>`.
 *
 * @example
 * await warehouseEvaluateCommand({ engine: "duckdb", data: "holdout.csv", policy: "assignment.csv", control: "control", bootstraps: 200, seed: "1", out: "ope.json" });
 */
export async function warehouseEvaluateCommand(opts: WarehouseEvaluateCommandOptions): Promise<void> {
  checkTableFlag(opts, "--data", opts.data);
  guardPaths({
    inputs: {
      "--data": opts.table === undefined ? opts.data : undefined,
      "--policy": opts.policy,
      "--dsn": opts.engine === "duckdb" ? opts.dsn : undefined,
    },
    outputs: { "--out": opts.out },
  });
  if (opts.model !== undefined)
    throw usageError(
      "--model is not supported with --engine (DR uses per-action means there); drop one of them",
    );
  if (opts.baseline !== undefined && opts.baseline !== "control" && opts.baseline !== opts.control)
    throw usageError("--baseline is not supported with --engine: evaluate each policy on its own");
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed))
    throw usageError(`--seed must be an integer with --engine, got '${opts.seed}'`);
  if (!(opts.bootstraps >= 2)) throw usageError("--bootstraps must be >= 2 with --engine");
  const engine = await openWarehouse(opts);
  try {
    const L = ident("cia_cli_logged");
    const Pt = ident("cia_cli_policy");
    const Q = ident("cia_cli_q_hat");
    let withCost: boolean;
    let nUnits: number;
    if (opts.table === undefined) {
      const table = await readExperimentTable(opts.data!, { require: ["action", "propensity", "value"] });
      const control = opts.control;
      const seen = table.actionNames!;
      if (!seen.includes(control))
        throw new CiaError(
          "invalid_input",
          `${opts.data}: no row has the control action '${control}' (set --control NAME)`,
        );
      const actions = [
        control,
        ...seen.filter((a) => a !== control).sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
      ];
      const action = reindexActions(table, actions);
      const target = await readPolicy(opts.policy, table.unitIds, actions);
      const key = new Map<string, number>();
      const unit = table.unitIds.map((u) => {
        let k = key.get(u);
        if (k === undefined) key.set(u, (k = key.size));
        return k;
      });
      withCost = table.cost !== undefined;
      const cols: LoadColumn[] = [
        { name: "unit_id", type: "bigint", values: unit },
        { name: "action", type: "integer", values: action },
        { name: "propensity", type: "double", values: table.propensity! },
        { name: "value", type: "double", values: table.value! },
      ];
      if (withCost) cols.push({ name: "cost", type: "double", values: table.cost! });
      await engine.load("cia_cli_logged", cols);
      const K = actions.length;
      const pu: number[] = [];
      const pa: number[] = [];
      const pp: number[] = [];
      const done = new Set<number>();
      for (let i = 0; i < table.n; i++) {
        if (done.has(unit[i]!)) continue;
        done.add(unit[i]!);
        for (let a = 0; a < K; a++)
          if (target[i * K + a]! > 0) {
            pu.push(unit[i]!);
            pa.push(a);
            pp.push(target[i * K + a]!);
          }
      }
      await engine.load("cia_cli_policy", [
        { name: "unit_id", type: "bigint", values: pu },
        { name: "action", type: "integer", values: pa },
        { name: "probability", type: "double", values: pp },
      ]);
      nUnits = key.size;
    } else {
      // The engine's table (unit_id, action names, propensity, value[, cost]) and the policy file,
      // both mapped to integer unit keys and action codes (control 0) in the engine.
      const t = ident(opts.table);
      const first = await engine.query(sql`SELECT * FROM ${t} LIMIT 1`);
      withCost = first.length > 0 && "cost" in first[0]!;
      const { readTable } = await import("@cia/logging-schema");
      const uid: string[] = [];
      const act: string[] = [];
      const prob: number[] = [];
      for await (const { record } of readTable(opts.policy)) {
        uid.push(String(record.unit_id));
        act.push(String(record.action));
        prob.push(record.probability === undefined ? 1 : Number(record.probability));
      }
      await engine.load("cia_cli_policy_raw", [
        { name: "unit_id", type: "text", values: uid },
        { name: "action", type: "text", values: act },
        { name: "probability", type: "double", values: prob },
      ]);
      const raw = ident("cia_cli_policy_raw");
      await engine.run(sql`DROP TABLE IF EXISTS ${ident("cia_cli_units")}`);
      await engine.run(sql`CREATE TABLE ${ident("cia_cli_units")} AS
SELECT u, DENSE_RANK() OVER (ORDER BY u) - 1 AS k FROM (SELECT DISTINCT CAST(unit_id AS TEXT) AS u FROM ${t}) s`);
      await engine.run(sql`DROP TABLE IF EXISTS ${ident("cia_cli_actions")}`);
      await engine.run(sql`CREATE TABLE ${ident("cia_cli_actions")} AS
SELECT name, DENSE_RANK() OVER (ORDER BY CASE WHEN name = ${opts.control} THEN 0 ELSE 1 END, name) - 1 AS code
FROM (SELECT CAST(action AS TEXT) AS name FROM ${t} UNION SELECT action FROM ${raw}) s`);
      await engine.run(sql`DROP TABLE IF EXISTS ${L}`);
      await engine.run(sql`CREATE TABLE ${L} AS
SELECT u.k AS unit_id, a.code AS action, l.propensity AS propensity, l.value AS value${withCost ? sql`, l.cost AS cost` : sql``}
FROM ${t} l JOIN ${ident("cia_cli_units")} u ON u.u = CAST(l.unit_id AS TEXT)
  JOIN ${ident("cia_cli_actions")} a ON a.name = CAST(l.action AS TEXT)`);
      await engine.run(sql`DROP TABLE IF EXISTS ${Pt}`);
      await engine.run(sql`CREATE TABLE ${Pt} AS
SELECT u.k AS unit_id, a.code AS action, p.probability AS probability
FROM ${raw} p JOIN ${ident("cia_cli_units")} u ON u.u = p.unit_id JOIN ${ident("cia_cli_actions")} a ON a.name = p.action`);
      const n = await engine.query(sql`SELECT COUNT(*) AS n FROM ${ident("cia_cli_units")}`);
      nUnits = Number(n[0]!.n);
    }
    // The reward model: per-action means of the log, for every unit and action.
    await engine.run(sql`DROP TABLE IF EXISTS ${Q}`);
    await engine.run(sql`CREATE TABLE ${Q} AS
SELECT u.unit_id AS unit_id, m.action AS action, m.q_value AS q_value${withCost ? sql`, m.q_cost AS q_cost` : sql``}
FROM (SELECT DISTINCT unit_id FROM ${L}) u CROSS JOIN
  (SELECT action, AVG(value) AS q_value${withCost ? sql`, AVG(cost) AS q_cost` : sql``} FROM ${L} GROUP BY action) m`);
    const e = await warehouseEvaluate(
      engine,
      { table: "cia_cli_logged" },
      { table: "cia_cli_policy", columns: { probability: "probability" } },
      { table: "cia_cli_q_hat" },
      {
        seed,
        resamples: opts.bootstraps,
        bags: opts.bags ?? Math.max(1, Math.min(1000, nUnits)),
        cost: withCost,
      },
    );
    const pair = (x: { value: unknown; cost?: unknown }) => ({ value: x.value, cost: x.cost ?? null });
    const json = {
      n: e.n,
      engine: opts.engine,
      interval: {
        method: "bagged_poisson_bootstrap",
        bags: e.bags,
        resamples: e.resamples,
        kept: e.kept,
        level: 0.95,
        seed,
      },
      estimates: { ips: pair(e.ips), snips: pair(e.snips), dr: pair(e.dr!) },
      diagnostics: { mean_weight: e.meanWeight },
      notes: ["DR's reward model is the per-action mean of the log (computed in the engine)"],
    };
    await writeFileAtomic(opts.out, `${JSON.stringify(json, null, 2)}\n`);
    printSummary({
      out: opts.out,
      engine: opts.engine,
      n: e.n,
      dr_value: e.dr!.value.estimate,
      dr_value_lower: e.dr!.value.lower,
      dr_value_upper: e.dr!.value.upper,
      dr_cost: e.dr!.cost?.estimate ?? null,
    });
  } finally {
    await engine.close();
  }
}
