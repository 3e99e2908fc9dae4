/**
 * `pnpm bench warehouse`: allocation (budget, 4 offers per user) and DR + IPS + SNIPS with 200
 * bagged bootstrap replicates, in process, in DuckDB, and in PostgreSQL with a coordinator and two
 * postgres_fdw workers on 127.0.0.1, with times, peak memory and the largest difference of every
 * answer from the in-process one. Users: CIA_WAREHOUSE_USERS (default 10,000,000) for in-process
 * and DuckDB, CIA_WAREHOUSE_PG_USERS (default 10,000,000) for PostgreSQL. The budget with the
 * volume cap (the Lagrangian) runs in process and in DuckDB at the same size, and in PostgreSQL at
 * CIA_WAREHOUSE_PG_VOLUME_USERS (default 0: not run); the channel caps (budget + two channel caps,
 * the Lagrangian with three multipliers) likewise at CIA_WAREHOUSE_PG_CAPS_USERS (default 0). The
 * Lagrangian cases are compared with two in-process runs: the default one, and one whose dual is
 * summed over every unit in every iteration (`dual.activeSetMinOptions: Infinity`, the evaluation
 * the SQL does); the channel caps also run in DuckDB with `dualSums: "ordered"` (and in PostgreSQL
 * only so), which should equal the full-pass run to the last bit. CIA_WAREHOUSE_KEEP_PG=1 runs no PostgreSQL case but those two and keeps the other
 * PostgreSQL cases of the last bench/results/warehouse.json; CIA_WAREHOUSE_GROUPS (default
 * "budget,volume,caps,dr") runs only those groups of the other cases and keeps the rest likewise.
 * Run it alone: `flock /tmp/cia-heavy.lock pnpm bench warehouse`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { type CaseResult, recordSuite, resultsDir } from "@cia/bench";
import { createDuckDbEngine } from "../src/duckdb-engine.js";
import { sql } from "../src/sql.js";
import { postgresBinDir, startPgCluster } from "../src/test-helpers/pg-cluster.js";
import { candidatesJs, candidatesSql, loggedJs, loggedSql } from "./bench-data.js";

const N = Number(process.env.CIA_WAREHOUSE_USERS ?? 10_000_000);
const NPG = Number(process.env.CIA_WAREHOUSE_PG_USERS ?? 10_000_000);
const NPG_VOLUME = Number(process.env.CIA_WAREHOUSE_PG_VOLUME_USERS ?? 0);
const NPG_CAPS = Number(process.env.CIA_WAREHOUSE_PG_CAPS_USERS ?? 0);
const GROUPS = new Set((process.env.CIA_WAREHOUSE_GROUPS ?? "budget,volume,caps,dr").split(","));
/** The group of a case, by its name. */
const groupOf = (name: string) =>
  name.includes("channel caps")
    ? "caps"
    : name.includes("volume cap")
      ? "volume"
      : name.includes("IPS")
        ? "dr"
        : "budget";
const KEEP_PG = process.env.CIA_WAREHOUSE_KEEP_PG === "1";
const common = { budgetShare: 0.2, bags: 100_000, resamples: 200, seed: 7 };
const log = (s: string) => process.stderr.write(`${s}\n`);

/** The generators give the same doubles in SQL and in JS (checked on 2,000 users, every column). */
async function checkGenerators(): Promise<void> {
  const e = await createDuckDbEngine({ threads: 1 });
  const n = 2000;
  const c = candidatesJs(n);
  const rows = await e.query(
    sql`SELECT unit, action, tau_value, tau_cost FROM (${candidatesSql(e.dialect, 0, n)}) t ORDER BY unit, action`,
  );
  rows.forEach((r, i) => {
    if (
      r.unit !== c.unit[i] ||
      r.action !== c.action[i] ||
      r.tau_value !== c.tauValue[i] ||
      r.tau_cost !== c.tauCost[i]
    )
      throw new Error(`candidate generators differ at row ${i}: ${JSON.stringify(r)}`);
  });
  const l = loggedJs(n);
  const g = loggedSql(e.dialect, 0, n);
  const lr = await e.query(sql`SELECT * FROM (${g.logged}) t ORDER BY unit_id`);
  lr.forEach((r, i) => {
    if (r.action !== l.action[i] || r.value !== l.value[i] || r.cost !== l.cost[i])
      throw new Error(`logged generators differ at row ${i}`);
  });
  const qr = await e.query(sql`SELECT * FROM (${g.q_hat}) t ORDER BY unit_id, action`);
  qr.forEach((r, i) => {
    if (r.q_value !== l.qValue[i] || r.q_cost !== l.qCost[i])
      throw new Error(`q_hat generators differ at row ${i}`);
  });
  await e.close();
}

const failed: string[] = [];
function runCase(
  name: string,
  n: number,
  pg?: { coordinator: number; workers: number[] },
): Record<string, unknown> {
  try {
    return runCaseOnce(name, n, pg);
  } catch (e) {
    failed.push(`${name} at ${n} users: ${e instanceof Error ? e.message : String(e)}`);
    log(`   FAILED: ${failed[failed.length - 1]}`);
    return { failed: true, run_ms: Number.NaN, peak_rss_mb: Number.NaN };
  }
}

function runCaseOnce(
  name: string,
  n: number,
  pg?: { coordinator: number; workers: number[] },
): Record<string, unknown> {
  log(`-- ${name} (${n.toLocaleString("en")} users)`);
  const r = spawnSync(
    process.execPath,
    [
      "--max-old-space-size=16384",
      "--import",
      "tsx",
      "--conditions=@cia/source",
      fileURLToPath(new URL("./warehouse-case.ts", import.meta.url)),
      JSON.stringify({ case: name, n, ...common, pg }),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status})`);
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
  log(`   ${JSON.stringify(res)}`);
  return res;
}

type Totals = Record<string, number>;
type Ests = Record<string, { estimate: number; lower: number; upper: number; se: number }>;

function allocDiff(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, number> {
  if (a.failed || b.failed) return {};
  const ta = a.totals as Totals;
  const tb = b.totals as Totals;
  const out: Record<string, number> = {};
  for (const k of ["value", "spend", "upper_bound", "gap", "treated"])
    out[`max_abs_diff_${k}`] = Math.abs(ta[k]! - tb[k]!);
  // "1e-9" at 10^7 units can only mean relative: an allocation total is ~10^8 (one ulp 1.5e-8)
  for (const k of ["value", "upper_bound"])
    out[`rel_diff_${k}`] = Math.abs(ta[k]! - tb[k]!) / Math.max(1, Math.abs(ta[k]!));
  const ma = a.multipliers as number[] | undefined;
  const mb = b.multipliers as number[] | undefined;
  if (ma && mb) out.max_abs_diff_multipliers = Math.max(...ma.map((x, i) => Math.abs(x - mb[i]!)));
  const ua = a.used as number[] | undefined;
  const ub = b.used as number[] | undefined;
  if (ua && ub)
    out.max_rel_diff_used = Math.max(...ua.map((x, i) => Math.abs(x - ub[i]!) / Math.max(1, Math.abs(x))));
  return out;
}

/** The differences from the in-process run with every dual summed over every unit, prefixed. */
function exactDiff(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(allocDiff(a, b))) out[`exact_sums_${k}`] = x;
  return out;
}

function evalDiff(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, number> {
  if (a.failed || b.failed) return {};
  const ea = a.estimates as Ests;
  const eb = b.estimates as Ests;
  const out: Record<string, number> = {};
  for (const k of Object.keys(ea)) {
    const x = ea[k]!;
    const y = eb[k]!;
    out[`max_abs_diff_${k}`] = Math.max(
      Math.abs(x.estimate - y.estimate),
      Math.abs(x.lower - y.lower),
      Math.abs(x.upper - y.upper),
      Math.abs(x.se - y.se),
    );
  }
  return out;
}

const cases: CaseResult[] = [];

/** The last recorded results of this suite, if any. */
function resolveResults(): { cases: CaseResult[]; notes: string[]; date: string } | undefined {
  const file = join(resultsDir(), "warehouse.json");
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as { cases: CaseResult[]; notes: string[]; date: string };
}
const notes: string[] = [];
const record = (name: string, r: Record<string, unknown>, metrics: Record<string, number | string>) => {
  const ms = Number(r.run_ms);
  cases.push({
    name,
    median_ms: ms,
    min_ms: ms,
    max_ms: ms,
    runs: 1,
    metrics: { peak_rss_mb: Number(r.peak_rss_mb), ...metrics },
  });
};

await checkGenerators();
log("generators agree (SQL and JS give the same doubles)");

const previous = resolveResults();
/** Keep the last results' cases of a group that does not run now (PostgreSQL ones aside). */
function keepGroup(group: string): void {
  if (!previous)
    throw new Error(`CIA_WAREHOUSE_GROUPS without ${group} needs a bench/results/warehouse.json`);
  for (const c of previous.cases)
    if (!c.name.includes("PostgreSQL") && groupOf(c.name) === group) cases.push(c);
  notes.push(`${group} cases kept from the run of ${previous.date} (CIA_WAREHOUSE_GROUPS).`);
}

if (GROUPS.has("budget")) {
  const ia = runCase("inprocess-allocate", N);
  record(`allocate ${N / 1e6}M users x 4, in process`, ia, {
    generate_ms: Number(ia.generate_ms),
    value: (ia.totals as Totals).value!,
  });
  const da = runCase("duckdb-allocate", N);
  record(`allocate ${N / 1e6}M users x 4, DuckDB SQL`, da, {
    generate_ms: Number(da.generate_ms),
    ...allocDiff(ia, da),
    rounding: String(da.rounding),
  });
  const db = runCase("duckdb-allocate-bucketed", N);
  record(`allocate ${N / 1e6}M users x 4, DuckDB SQL, bucketed greedy`, db, {
    generate_ms: Number(db.generate_ms),
    ...allocDiff(ia, db),
    rounding: String(db.rounding),
  });
} else keepGroup("budget");
/** A Lagrangian case in process (default and exact dual sums) and in DuckDB at n users. */
function lagrangianCases(kind: "volume" | "caps", label: string): void {
  const ip = runCase(`inprocess-allocate-${kind}`, N);
  record(`allocate ${N / 1e6}M users x 4, ${label}, in process`, ip, {
    generate_ms: Number(ip.generate_ms),
    value: (ip.totals as Totals).value!,
    iterations: Number(ip.iterations),
  });
  const ix = runCase(`inprocess-allocate-${kind}-exact`, N);
  record(`allocate ${N / 1e6}M users x 4, ${label}, in process, dual summed over every unit`, ix, {
    ...allocDiff(ip, ix),
    iterations: Number(ix.iterations),
  });
  const dk = runCase(`duckdb-allocate-${kind}`, N);
  record(`allocate ${N / 1e6}M users x 4, ${label}, DuckDB SQL`, dk, {
    generate_ms: Number(dk.generate_ms),
    ...allocDiff(ip, dk),
    ...exactDiff(ix, dk),
    rounding: String(dk.rounding),
    iterations: Number(dk.iterations),
  });
  if (kind !== "caps") return;
  // the dual's sums in unit order: the full-pass in-process run to the last bit, at a sort per pass
  const dord = runCase(`duckdb-allocate-${kind}-ordered`, N);
  record(`allocate ${N / 1e6}M users x 4, ${label}, DuckDB SQL, ordered dual sums`, dord, {
    generate_ms: Number(dord.generate_ms),
    ...allocDiff(ip, dord),
    ...exactDiff(ix, dord),
    rounding: String(dord.rounding),
    iterations: Number(dord.iterations),
  });
}
if (GROUPS.has("volume")) lagrangianCases("volume", "budget and volume cap (Lagrangian)");
else keepGroup("volume");
if (GROUPS.has("caps")) lagrangianCases("caps", "budget and two channel caps (Lagrangian)");
else keepGroup("caps");
let ie: Record<string, unknown> | undefined;
if (GROUPS.has("dr")) {
  ie = runCase("inprocess-dr", N);
  record(`IPS+SNIPS+DR value and cost, ${N / 1e6}M rows, 200 bagged replicates, in process`, ie, {
    rounds_ms: Number(ie.rounds_ms),
    bagged_bootstrap_ms: Number(ie.bagged_bootstrap_ms),
    per_row_poisson_bootstrap_ms: Number(ie.per_row_poisson_bootstrap_ms),
  });
  const de = runCase("duckdb-dr", N);
  record(`IPS+SNIPS+DR value and cost, ${N / 1e6}M rows, 200 bagged replicates, DuckDB SQL`, de, {
    generate_ms: Number(de.generate_ms),
    ...evalDiff(ie, de),
  });
} else keepGroup("dr");

/** A Lagrangian case in the two-shard PostgreSQL at n users, next to in process at that size. */
function pgLagrangian(
  pg: { coordinator: number; workers: number[] },
  kind: "volume" | "caps",
  n: number,
  label: string,
): void {
  const ip = runCase(`inprocess-allocate-${kind}`, n);
  record(`allocate ${n / 1e6}M users x 4, ${label}, in process (PostgreSQL ref)`, ip, {
    value: (ip.totals as Totals).value!,
    iterations: Number(ip.iterations),
  });
  const ix = runCase(`inprocess-allocate-${kind}-exact`, n);
  record(
    `allocate ${n / 1e6}M users x 4, ${label}, in process, dual summed over every unit (PostgreSQL ref)`,
    ix,
    {
      ...allocDiff(ip, ix),
      iterations: Number(ix.iterations),
    },
  );
  // the caps on PostgreSQL with the dual's sums in unit order (the compensated path: the volume case)
  const ordered = kind === "caps";
  const pk = runCase(`pg-allocate-${kind}${ordered ? "-ordered" : ""}`, n, pg);
  const how = ordered ? ", ordered dual sums" : "";
  record(
    `allocate ${n / 1e6}M users x 4, ${label}, PostgreSQL coordinator + 2 postgres_fdw shards${how}`,
    pk,
    {
      generate_ms: Number(pk.generate_ms),
      postgres_peak_rss_mb: Number(pk.postgres_peak_rss_mb),
      ...allocDiff(ip, pk),
      ...exactDiff(ix, pk),
      iterations: Number(pk.iterations),
    },
  );
}
function pgExtra(pg: { coordinator: number; workers: number[] }): void {
  if (NPG_VOLUME > 0) pgLagrangian(pg, "volume", NPG_VOLUME, "budget and volume cap (Lagrangian)");
  else notes.push(noVolumeNote);
  if (NPG_CAPS > 0) pgLagrangian(pg, "caps", NPG_CAPS, "budget and two channel caps (Lagrangian)");
  else notes.push(noCapsNote);
}

async function withClusters(body: (pg: { coordinator: number; workers: number[] }) => void): Promise<void> {
  const clusters = await Promise.all([
    startPgCluster("bench-c"),
    startPgCluster("bench-w0"),
    startPgCluster("bench-w1"),
  ]);
  try {
    body({ coordinator: clusters[0]!.port, workers: [clusters[1]!.port, clusters[2]!.port] });
  } finally {
    for (const c of clusters) c.stop();
  }
}

const noCapsNote =
  "PostgreSQL cases: the channel caps were not run in PostgreSQL (CIA_WAREHOUSE_PG_CAPS_USERS=0).";
const noVolumeNote =
  "PostgreSQL cases: the budget with the volume cap was not run in PostgreSQL (CIA_WAREHOUSE_PG_VOLUME_USERS=0).";
if (KEEP_PG) {
  if (!previous) throw new Error("CIA_WAREHOUSE_KEEP_PG=1 needs a bench/results/warehouse.json to keep");
  const rerun = (name: string) =>
    (NPG_VOLUME > 0 && groupOf(name) === "volume") || (NPG_CAPS > 0 && groupOf(name) === "caps");
  for (const c of previous.cases) if (c.name.includes("PostgreSQL") && !rerun(c.name)) cases.push(c);
  notes.push(
    `PostgreSQL cases other than those re-run now kept from the run of ${previous.date} (CIA_WAREHOUSE_KEEP_PG=1).`,
  );
  if ((NPG_VOLUME > 0 || NPG_CAPS > 0) && postgresBinDir()) await withClusters(pgExtra);
} else if (postgresBinDir()) {
  await withClusters((pg) => {
    const ia2 = runCase("inprocess-allocate", NPG);
    record(`allocate ${NPG / 1e6}M users x 4, in process (PostgreSQL ref)`, ia2, {
      value: (ia2.totals as Totals).value!,
    });
    const pa = runCase("pg-allocate", NPG, pg);
    record(`allocate ${NPG / 1e6}M users x 4, PostgreSQL coordinator + 2 postgres_fdw shards`, pa, {
      generate_ms: Number(pa.generate_ms),
      postgres_peak_rss_mb: Number(pa.postgres_peak_rss_mb),
      ...allocDiff(ia2, pa),
    });
    pgExtra(pg);
    const ie2 = ie && NPG === N ? ie : runCase("inprocess-dr", NPG);
    if (ie2 !== ie) record(`IPS+SNIPS+DR, ${NPG / 1e6}M rows, 200 bagged replicates, in process`, ie2, {});
    const pe = runCase("pg-dr", NPG, pg);
    record(`IPS+SNIPS+DR, ${NPG / 1e6}M rows, 200 bagged replicates, PostgreSQL coordinator + 2 shards`, pe, {
      generate_ms: Number(pe.generate_ms),
      postgres_peak_rss_mb: Number(pe.postgres_peak_rss_mb),
      ...evalDiff(ie2, pe),
    });
  });
} else notes.push("PostgreSQL binaries not found: the PostgreSQL cases did not run");

notes.push(
  `Budget: ${common.budgetShare} of the expected total cost; volume cap (the Lagrangian cases): 60% of the users; bootstrap: ${common.bags.toLocaleString("en")} bags, ${common.resamples} replicates, seed ${common.seed}.`,
  "run_ms excludes data generation (generated inside each engine by the same hash as in process; checked equal on 2,000 users).",
  "peak_rss_mb: maxRSS of the case's process (DuckDB runs inside it); postgres_peak_rss_mb: the postgres server processes' summed RSS, sampled every 250 ms (shared buffers counted once per process).",
  "PostgreSQL clusters: throwaway, fsync off, jit off, no parallel workers (the 2 shared cores), sessions with work_mem 1GB and temp_buffers 2GB; the coordinator pulls the shards' rows for the window functions.",
  "max_abs_diff_*: largest absolute difference from the in-process answer on the same data (value, spend, bound; estimate, interval ends and se).",
);
for (const f of failed) notes.push(`FAILED: ${f}`);
recordSuite({
  suite: "warehouse",
  description:
    "Decide and Validate as SQL: allocation and bagged-bootstrap OPE in DuckDB and two-shard PostgreSQL next to in-process",
  cases,
  notes,
});
log("recorded bench/results/warehouse.json");
