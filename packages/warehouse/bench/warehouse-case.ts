/**
 * One case of `pnpm bench warehouse`, run in its own process so its peak memory (maxRSS: the
 * process, DuckDB included; PostgreSQL's server processes are sampled separately) is its own.
 * argv: a JSON { case, n, pg? } ; prints one JSON line with the timings and the answers.
 */
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { createRng } from "@cia/core";
import { baggedBootstrap, bootstrapSums, doublyRobust, ips, snips } from "@cia/ope";
import { allocate } from "@cia/optimizer";
import { createDuckDbEngine } from "../src/duckdb-engine.js";
import type { SqlEngine } from "../src/engine.js";
import { createPostgresEngine } from "../src/postgres-engine.js";
import { connectPostgresShards } from "../src/postgres-shards.js";
import { ident, intLiteral, rawSql, sql } from "../src/sql.js";
import { warehouseAllocate } from "../src/warehouse-allocate.js";
import { warehouseEvaluate } from "../src/warehouse-evaluate.js";
import { ACTIONS, candidatesJs, candidatesSql, loggedJs, loggedSql } from "./bench-data.js";

interface Args {
  case:
    | "inprocess-allocate"
    | "duckdb-allocate"
    | "duckdb-allocate-bucketed"
    | "inprocess-allocate-volume"
    | "inprocess-allocate-volume-exact"
    | "duckdb-allocate-volume"
    | "pg-allocate-volume"
    | "inprocess-allocate-caps"
    | "inprocess-allocate-caps-exact"
    | "duckdb-allocate-caps"
    | "duckdb-allocate-caps-ordered"
    | "pg-allocate-caps"
    | "pg-allocate-caps-ordered"
    | "inprocess-dr"
    | "duckdb-dr"
    | "pg-allocate"
    | "pg-dr";
  n: number;
  budgetShare: number;
  bags: number;
  resamples: number;
  seed: number;
  /** PostgreSQL: coordinator and workers' ports (clusters started by the orchestrator) */
  pg?: { coordinator: number; workers: number[] } | undefined;
}

const args = JSON.parse(process.argv[2]!) as Args;
// A memory limit keeps the 10^7-unit cases from crowding out the machine's other jobs; DuckDB
// spills its staged tables to disk beyond it.
const duck = {
  memoryLimit: process.env.CIA_WAREHOUSE_DUCKDB_MEMORY ?? "8GB",
  tempDirectory: `${tmpdir()}/cia-duckdb-bench`,
};
const out: Record<string, unknown> = { case: args.case, n: args.n };
const t = (label: string, t0: number) => {
  out[`${label}_ms`] = Math.round(performance.now() - t0);
};

/** Budget: a share of the total positive cost of the candidates (the same closed form in every case). */
function budgetOf(n: number): number {
  // E[cost] of action a is a * 3 (u ~ U(0,1)); summed over units and actions; times the share.
  return args.budgetShare * n * 3 * ((ACTIONS * (ACTIONS + 1)) / 2);
}

/** The volume cap of the two-limit cases: 60% of the users (with the budget, both bind). */
const VOLUME_SHARE = 0.6;
const volumeOf = (n: number) => Math.round(VOLUME_SHARE * n);

/**
 * The channel / action caps case: channel (unit + action) mod 3 (a view in the engines, a column in
 * process), the budget, 15% of the users through channel 0 and 30% of the budget in channel 2.
 */
const CHANNELS = 3;
const capsOf = (n: number) => ({
  budget: budgetOf(n),
  channelCaps: { 0: { maxTreated: Math.round(0.15 * n) }, 2: { budget: 0.3 * budgetOf(n) } },
});

/** postgres server processes' RSS (kB), sampled while a PostgreSQL case runs. */
function pgRssKb(): number {
  try {
    const txt = execFileSync("ps", ["-C", "postgres", "-o", "rss="], { encoding: "utf8" });
    return txt
      .split("\n")
      .map((x) => Number(x.trim()))
      .filter((x) => x > 0)
      .reduce((a, b) => a + b, 0);
  } catch {
    return 0;
  }
}

async function pgSetup(
  kind: "scores" | "logged",
): Promise<{ engine: SqlEngine; close: () => Promise<void> }> {
  const pg = args.pg!;
  const coordinator = await createPostgresEngine({
    dsn: `postgresql://cia@127.0.0.1:${pg.coordinator}/postgres`,
  });
  const workers = await Promise.all(
    pg.workers.map((port) => createPostgresEngine({ dsn: `postgresql://cia@127.0.0.1:${port}/postgres` })),
  );
  const shards = workers.map((engine, i) => ({
    server: `w${i}`,
    host: "127.0.0.1",
    port: pg.workers[i]!,
    dbname: "postgres",
    user: "cia",
    engine,
  }));
  await connectPostgresShards(coordinator, shards);
  // Range partitions by unit, each generated on its own worker (no rows through the coordinator).
  const n = args.n;
  const bounds = shards.map((_, i) => Math.floor((n * i) / shards.length)).concat(n);
  const t0 = performance.now();
  const tables: [string, (lo: number, hi: number) => ReturnType<typeof candidatesSql>, string, string][] =
    kind === "scores"
      ? [
          [
            "scores",
            (lo, hi) => candidatesSql(workers[0]!.dialect, lo, hi),
            "unit",
            "unit BIGINT, action INTEGER, tau_value DOUBLE PRECISION, tau_cost DOUBLE PRECISION, row_id BIGINT",
          ],
        ]
      : [
          [
            "logged",
            (lo, hi) => loggedSql(workers[0]!.dialect, lo, hi).logged,
            "unit_id",
            "unit_id BIGINT, action INTEGER, propensity DOUBLE PRECISION, value DOUBLE PRECISION, cost DOUBLE PRECISION",
          ],
          [
            "policy",
            (lo, hi) => loggedSql(workers[0]!.dialect, lo, hi).policy,
            "unit_id",
            "unit_id BIGINT, action INTEGER, probability DOUBLE PRECISION",
          ],
          [
            "q_hat",
            (lo, hi) => loggedSql(workers[0]!.dialect, lo, hi).q_hat,
            "unit_id",
            "unit_id BIGINT, action INTEGER, q_value DOUBLE PRECISION, q_cost DOUBLE PRECISION",
          ],
        ];
  for (const [name, gen, key, cols] of tables) {
    await coordinator.run(sql`DROP TABLE IF EXISTS ${ident(name)} CASCADE`);
    await coordinator.run(
      sql`CREATE TABLE ${ident(name)} (${rawSql(cols)}) PARTITION BY RANGE (${ident(key)})`,
    );
    await Promise.all(
      shards.map(async (s, i) => {
        const part = ident(`${name}_p${i}`);
        await s.engine.run(sql`DROP TABLE IF EXISTS ${part}`);
        await s.engine.run(sql`CREATE TABLE ${part} AS ${gen(bounds[i]!, bounds[i + 1]!)}`);
        await s.engine.run(sql`ANALYZE ${part}`);
        await coordinator.run(
          sql`CREATE FOREIGN TABLE ${part} PARTITION OF ${ident(name)} FOR VALUES FROM (${intLiteral(bounds[i]!)}) TO (${intLiteral(bounds[i + 1]!)}) SERVER ${ident(s.server)} OPTIONS (table_name ${rawSql(`'${name}_p${i}'`)})`,
        );
      }),
    );
  }
  t("generate", t0);
  return {
    engine: coordinator,
    close: async () => {
      await coordinator.close();
      for (const w of workers) await w.close();
    },
  };
}

async function main(): Promise<void> {
  const n = args.n;
  const evalOpts = { seed: args.seed, bags: args.bags, resamples: args.resamples };
  const volume = args.case.includes("-volume");
  const caps = args.case.includes("-caps");
  // "-exact": the in-process dual evaluated over every unit in every iteration (no active-set box,
  // whose split sums round differently), the evaluation the SQL Lagrangian does.
  const exact = args.case.endsWith("-exact")
    ? { dual: { activeSetMinOptions: Number.POSITIVE_INFINITY } }
    : {};
  // "-ordered": the dual's sums in unit order (`dualSums: "ordered"`), the in-process loop's doubles
  const dualSums = args.case.endsWith("-ordered") ? ("ordered" as const) : undefined;
  const limits = caps
    ? capsOf(n)
    : volume
      ? { budget: budgetOf(n), maxTreated: volumeOf(n) }
      : { budget: budgetOf(n) };
  const scoresTable = caps
    ? { table: "scores_ch", columns: { row: "row_id", channel: "channel" }, nUnits: n }
    : { table: "scores", columns: { row: "row_id" }, nUnits: n };
  const channelView = (e: SqlEngine) =>
    e.run(
      sql`CREATE VIEW scores_ch AS SELECT unit, action, tau_value, tau_cost, row_id, CAST((unit + action) % ${intLiteral(CHANNELS)} AS INTEGER) AS channel FROM scores`,
    );
  if (args.case.startsWith("inprocess-allocate")) {
    let t0 = performance.now();
    const c0 = candidatesJs(n);
    let c = c0;
    if (caps) {
      const channel = new Int32Array(c0.unit.length);
      for (let i = 0; i < channel.length; i++) channel[i] = (c0.unit[i]! + c0.action[i]!) % CHANNELS;
      c = { ...c0, channel };
    }
    t("generate", t0);
    t0 = performance.now();
    const r = allocate(c, { ...limits, ...exact });
    t("run", t0);
    out.totals = r.totals;
    out.rounding = r.certificate.rounding;
    out.iterations = r.certificate.iterations;
    out.multipliers = r.constraints.map((k) => k.multiplier);
    out.used = r.constraints.map((k) => k.used);
  } else if (args.case.startsWith("duckdb-allocate")) {
    const engine = await createDuckDbEngine(duck);
    let t0 = performance.now();
    await engine.run(sql`CREATE TABLE scores AS ${candidatesSql(engine.dialect, 0, n)}`);
    if (caps) await channelView(engine);
    t("generate", t0);
    t0 = performance.now();
    const r = await warehouseAllocate(engine, scoresTable, limits, {
      fetchAssignment: false,
      assignmentTable: "assignment",
      greedy: args.case === "duckdb-allocate-bucketed" ? "bucketed" : undefined,
      dualSums,
    });
    t("run", t0);
    out.totals = r.totals;
    out.rounding = r.certificate.rounding;
    out.iterations = r.certificate.iterations;
    out.multipliers = r.constraints.map((k) => k.multiplier);
    out.used = r.constraints.map((k) => k.used);
    await engine.close();
  } else if (args.case === "inprocess-dr") {
    let t0 = performance.now();
    const d = loggedJs(n);
    t("generate", t0);
    t0 = performance.now();
    const base = { k: 4, action: d.action, propensity: d.propensity, target: d.target };
    const cols = [
      ips({ ...base, reward: d.value }).rounds,
      snips({ ...base, reward: d.value }).rounds,
      doublyRobust({ ...base, reward: d.value, qHat: d.qValue }).rounds,
      ips({ ...base, reward: d.cost }).rounds,
      snips({ ...base, reward: d.cost }).rounds,
      doublyRobust({ ...base, reward: d.cost, qHat: d.qCost }).rounds,
    ];
    t("rounds", t0);
    t0 = performance.now();
    const b = baggedBootstrap(cols, d.unit, evalOpts);
    t("bagged_bootstrap", t0);
    out.run_ms = (out.rounds_ms as number) + (out.bagged_bootstrap_ms as number);
    out.estimates = {
      ips_value: b.estimates[0],
      snips_value: b.estimates[1],
      dr_value: b.estimates[2],
      ips_cost: b.estimates[3],
      snips_cost: b.estimates[4],
      dr_cost: b.estimates[5],
    };
    // The project's per-row Poisson bootstrap of the same six columns, for reference.
    t0 = performance.now();
    bootstrapSums(cols, { resamples: args.resamples, scheme: "poisson", rng: createRng(args.seed) });
    t("per_row_poisson_bootstrap", t0);
  } else if (args.case === "duckdb-dr") {
    const engine = await createDuckDbEngine(duck);
    let t0 = performance.now();
    const g = loggedSql(engine.dialect, 0, n);
    for (const name of ["logged", "policy", "q_hat"] as const)
      await engine.run(sql`CREATE TABLE ${ident(name)} AS ${g[name]}`);
    t("generate", t0);
    t0 = performance.now();
    const e = await warehouseEvaluate(
      engine,
      { table: "logged" },
      { table: "policy", columns: { probability: "probability" } },
      { table: "q_hat" },
      evalOpts,
    );
    t("run", t0);
    out.estimates = {
      ips_value: e.ips.value,
      snips_value: e.snips.value,
      dr_value: e.dr!.value,
      ips_cost: e.ips.cost,
      snips_cost: e.snips.cost,
      dr_cost: e.dr!.cost,
    };
    await engine.close();
  } else {
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, pgRssKb());
    }, 250);
    const alloc = args.case.startsWith("pg-allocate");
    const { engine, close } = await pgSetup(alloc ? "scores" : "logged");
    if (caps) await channelView(engine);
    const t0 = performance.now();
    if (alloc) {
      const r = await warehouseAllocate(engine, scoresTable, limits, { fetchAssignment: false, dualSums });
      out.totals = r.totals;
      out.rounding = r.certificate.rounding;
      out.iterations = r.certificate.iterations;
      out.multipliers = r.constraints.map((k) => k.multiplier);
      out.used = r.constraints.map((k) => k.used);
    } else {
      const e = await warehouseEvaluate(
        engine,
        { table: "logged" },
        { table: "policy", columns: { probability: "probability" } },
        { table: "q_hat" },
        evalOpts,
      );
      out.estimates = {
        ips_value: e.ips.value,
        snips_value: e.snips.value,
        dr_value: e.dr!.value,
        ips_cost: e.ips.cost,
        snips_cost: e.snips.cost,
        dr_cost: e.dr!.cost,
      };
    }
    t("run", t0);
    clearInterval(timer);
    out.postgres_peak_rss_mb = Math.round(pgRssKb() > peak ? pgRssKb() / 1024 : peak / 1024);
    await close();
  }
  out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
