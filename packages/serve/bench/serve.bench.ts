/**
 * `pnpm bench serve`: the online decision service under load on 127.0.0.1. Servers run in child
 * processes pinned to core 1; the clients (autocannon in this process, the open-loop paced client
 * in a process of its own) are pinned to core 0 (SERVE_BENCH_PIN=0: no pinning).
 *
 * Cases: p99 latency at 1,000 requests/s with the 100-tree x 2-head x 4-offer model, for the three
 * durability modes (fsync before acknowledging; interval, the default of `cia serve`, syncing every
 * 10 ms off the request path; write), under autocannon and under
 * open-loop arrivals, evenly spaced and Poisson (repeated, a fresh server each time, beside a
 * bare-fastify floor measured the same way); the highest paced rate whose p99 stays within 5 ms; the maximum
 * sustained rate (autocannon fixed-rate steps until the server falls behind); kill -9 under load
 * and restart (every acknowledged decision in the log, strict parse); 10,000 malformed requests
 * (all 4xx, server up, RSS before and after). Bounded: about eight minutes. Environment:
 * SERVE_BENCH_SECONDS (length of the 1,000 req/s runs, default 15), SERVE_BENCH_REPS (paced
 * repetitions, default 3), SERVE_BENCH_UNITS (training units, default 10000), SERVE_BENCH_CASES
 * (run only some cases; prints them instead of recording the suite). Run it under
 * `flock /tmp/cia-heavy.lock` on a shared machine.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CaseResult, recordSuite } from "@cia/bench";
import { readDecisions } from "@cia/logging-schema";
import autocannon from "autocannon";
import { type ChildServer, startChildServer } from "../src/test-helpers/child-server.js";
import { requestFeatures, servingFixture } from "../src/test-helpers/serving-fixture.js";
import type { PacedLoadResult } from "./paced-load.js";
import type { WireLoadResult } from "./wire-load.js";
import { buildBenchPolicy } from "./bench-model.js";

const seconds = Number(process.env.SERVE_BENCH_SECONDS ?? 15);
const trainUnits = Number(process.env.SERVE_BENCH_UNITS ?? 10_000);
const cases: CaseResult[] = [];
const notes: string[] = [];
const say = (s: string) => process.stderr.write(`${s}\n`);

const t0 = performance.now();
const loadAtStart = loadavg();
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
const policy = await buildBenchPolicy(trainUnits);
say(
  `model + bundle: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${policy.trees} trees, lambda ${policy.deployed.manifest.lambda.toFixed(4)}`,
);
const bodies = Array.from({ length: 2000 }, (_, i) =>
  JSON.stringify({ unit_id: policy.units.unitIds[i], features: requestFeatures(policy.units, i) }),
);

/** SERVE_BENCH_CASES=paced,steps (a comma list of autocannon, paced, steps, ridge, max, kill,
 * malformed) runs only those and prints the cases instead of recording the suite. */
const only = process.env.SERVE_BENCH_CASES?.split(",").map((c) => c.trim());
const want = (c: string) => only === undefined || only.includes(c);
const repetitions = Number(process.env.SERVE_BENCH_REPS ?? 3);
/** Client on core 0, servers on core 1 (SERVE_BENCH_PIN=0: let the scheduler place them). */
const pin = process.env.SERVE_BENCH_PIN !== "0" && availableParallelism() >= 2;
const CLIENT_CPU = "0";
const SERVER_CPU = "1";
/** What `cia serve` runs without --durability: the rows of the steps, ridge, max and malformed cases. */
const DEFAULT_DURABILITY = "interval";

/** A child server on the server core (when pinning), with no extra flags. */
function pinnedServer(
  bundleDir: string,
  logDir: string,
  durability: "fsync" | "interval" | "write",
): Promise<ChildServer> {
  return startChildServer(bundleDir, logDir, durability, [], pin ? SERVER_CPU : undefined);
}
const benchDir = dirname(fileURLToPath(import.meta.url));
const bodiesFile = join(policy.dir, "bodies.json");
writeFileSync(bodiesFile, JSON.stringify(bodies));
// This process is the autocannon client: core 0, beside the servers on core 1.
if (pin) execFileSync("taskset", ["-a", "-cp", CLIENT_CPU, String(process.pid)], { stdio: "ignore" });

/**
 * The open-loop clients of bench/paced-client.ts: `wire` (raw sockets, `--wire`, evenly spaced
 * requests), `poisson` (the same client, exponential gaps: SERVE_ARRIVALS=poisson) and `http`
 * (node:http, evenly spaced).
 */
type ClientKind = "wire" | "poisson" | "http";

/** Run an open-loop client in its own process (pinned to `cpus`) and return its result. */
function pacedClient(
  url: string,
  rate: number,
  secs: number,
  cpus: string | undefined,
  client: ClientKind = "wire",
): Promise<PacedLoadResult & Partial<WireLoadResult>> {
  const argv = [
    "--import",
    "tsx",
    join(benchDir, "paced-client.ts"),
    ...(client === "http" ? [] : ["--wire"]),
    url,
    bodiesFile,
    String(rate),
    String(secs),
  ];
  const child = spawn(
    cpus === undefined ? process.execPath : "taskset",
    cpus === undefined ? argv : ["-c", cpus, process.execPath, ...argv],
    {
      cwd: join(benchDir, ".."),
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: undefined,
        SERVE_ARRIVALS: client === "poisson" ? "poisson" : undefined,
      },
    },
  );
  let out = "";
  child.stdout.on("data", (d) => {
    out += String(d);
  });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as PacedLoadResult)
        : reject(new Error(`paced client exited ${code}`)),
    ),
  );
}

/**
 * On-CPU and run-queue seconds of a process, summed over its threads, from /proc/<pid>/task/<tid>/schedstat
 * (exact ns; /proc/<pid>/stat's user + system are sampled at the tick, which requests that start
 * on a timer meet more often than chance). Run-queue time is how long threads were runnable but
 * waited for a core: the shared machine's contention, per request.
 */
function procSched(pid: number): { run: number; wait: number } {
  let run = 0;
  let wait = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [r, w] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
      run += r! / 1e9;
      wait += w! / 1e9;
    } catch {
      // The thread exited meanwhile.
    }
  }
  return { run, wait };
}

/** bench/bare-server.ts in a child process (pinned to `cpus`). */
function startBareServer(
  cpus: string | undefined,
): Promise<{ child: ChildProcess; pid: number; url: string; exited: Promise<unknown> }> {
  const argv = ["--import", "tsx", join(benchDir, "bare-server.ts")];
  const child = spawn(
    cpus === undefined ? process.execPath : "taskset",
    cpus === undefined ? argv : ["-c", cpus, process.execPath, ...argv],
    {
      cwd: join(benchDir, ".."),
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, TSX_TSCONFIG_PATH: undefined },
    },
  );
  const exited = new Promise((r) => child.once("exit", r));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += String(d);
      if (!out.includes("\n")) return;
      const { port, pid } = JSON.parse(out) as { port: number; pid: number };
      resolve({ child, pid, url: `http://127.0.0.1:${port}`, exited });
    });
    exited.then(() => reject(new Error("bare server exited before listening")));
  });
}

type Result = autocannon.Result & { statusCodeStats?: Record<string, { count: number } | undefined> };

function run(
  opts: autocannon.Options,
  onBody?: (status: number, body: string) => void,
): { result: Promise<Result>; stop: () => void } {
  let k = 0;
  let instance: autocannon.Instance | undefined;
  const result = new Promise<Result>((resolve, reject) => {
    instance = autocannon(
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        ...opts,
        requests: [
          {
            setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[k++ % bodies.length] }),
            ...(onBody ? { onResponse: (status: number, body: string) => onBody(status, body) } : {}),
          },
        ],
      } as autocannon.Options,
      (err, r) => (err ? reject(err) : resolve(r as Result)),
    );
  });
  return { result, stop: () => instance?.stop() };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

interface ServerQuantiles {
  server_p50_ms: number;
  server_p99_ms: number;
  /** The log's fdatasync time per group commit (0 in write mode), over the server's 60 s window. */
  sync_p50_ms: number;
  sync_p99_ms: number;
  sync_p999_ms: number;
  /** Records per group commit, p99 (how many requests shared one sync). */
  group_p99: number;
  /** Group commits whose fdatasync ran on the thread pool, and moves between loop and pool (adaptive). */
  pool_syncs: number;
  sync_moves: number;
  /** Durability interval: age of the oldest decision a background sync made durable, p99 and max (ms). */
  sync_lag_p99_ms: number;
  sync_lag_max_ms: number;
}

async function serverQuantiles(s: ChildServer): Promise<ServerQuantiles> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const q = (name: string, labels: string, scale: number) => {
    const m = new RegExp(`${name}\\{${labels}\\} ([0-9.e-]+)`).exec(text);
    return m ? Number(m[1]) * scale : Number.NaN;
  };
  const req = (p: string) => q("cia_serve_request_duration_seconds", `quantile="${p}",route="/decide"`, 1000);
  const sync = (p: string) => q("cia_serve_log_sync_seconds", `quantile="${p}"`, 1000);
  return {
    server_p50_ms: req("0.5"),
    server_p99_ms: req("0.99"),
    sync_p50_ms: sync("0.5"),
    sync_p99_ms: sync("0.99"),
    sync_p999_ms: sync("0.999"),
    group_p99: q("cia_serve_log_group_records", `quantile="0.99"`, 1),
    sync_lag_p99_ms: q("cia_serve_log_sync_lag_seconds", `quantile="0.99"`, 1000),
    sync_lag_max_ms: q("cia_serve_log_sync_lag_seconds", `quantile="1"`, 1000),
    pool_syncs: Number(/^cia_serve_log_pool_syncs ([0-9.e-]+)$/m.exec(text)?.[1] ?? Number.NaN),
    sync_moves: Number(/^cia_serve_log_sync_moves ([0-9.e-]+)$/m.exec(text)?.[1] ?? Number.NaN),
  };
}

/** The server process's CPU seconds (user + system), from its own metrics. */
async function serverCpu(s: ChildServer): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const m = /^cia_serve_process_cpu_seconds_total ([0-9.e-]+)$/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

async function loggedIds(dir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const f of readdirSync(dir).sort())
    for (const d of await readDecisions(join(dir, f), { mode: "strict", uniqueIds: false }).toArray())
      ids.add(d.decision_id);
  return ids;
}

// 1. p99 at 1,000 req/s, both durability modes (a fresh server each, warmed up first).
if (want("autocannon"))
  for (const durability of ["fsync", "interval", "write"] as const) {
    const s = await pinnedServer(policy.bundleDir, join(policy.dir, `logs-${durability}`), durability);
    await run({ url: `${s.url}/decide`, connections: 20, duration: 3 }).result;
    const cpu0 = await serverCpu(s);
    const r = await run({ url: `${s.url}/decide`, connections: 50, overallRate: 1000, duration: seconds })
      .result;
    const server = {
      ...(await serverQuantiles(s)),
      server_cpu_us_per_request: (((await serverCpu(s)) - cpu0) * 1e6) / r.requests.total,
    };
    s.child.kill("SIGTERM");
    await s.exited;
    const p99 = r.latency.p99;
    say(
      `1000 req/s ${durability}: achieved ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}; server p99 ${server.server_p99_ms?.toFixed(2)} ms, server CPU ${server.server_cpu_us_per_request.toFixed(0)} us/request`,
    );
    // Not a target row: autocannon's `overallRate` gives each of the 50 connections a quota per
    // second that it fires at the second's start (50 requests in flight at once, then idle), and its
    // coordinated-omission correction assumes one request every ceil(1/20) = 1 ms per connection,
    // so a burst's queueing is counted up to 50 times over. The open-loop clients below measure
    // 1,000 req/s as it arrives; this row stays for comparison with earlier runs.
    cases.push({
      name: `p99 at 1,000 req/s (durability ${durability}; autocannon, per-second bursts) (for comparison)`,
      metrics: {
        offered_rps: 1000,
        achieved_rps: r.requests.average,
        p50_ms: r.latency.p50,
        p90_ms: r.latency.p90,
        p99_ms: p99,
        p99_9_ms: r.latency.p99_9,
        max_ms: r.latency.max,
        ...server,
        requests: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
        seconds,
      },
    });
  }

// 1a. The same target under open-loop arrivals (one request due every millisecond, latency from
// its due time): autocannon's per-connection quota fires each second's 1,000 requests as a burst
// with 50 in flight, which measures queueing behind that burst rather than 1,000 req/s. The client
// runs in a process of its own (its small heap, not this one's, is what it collects), pinned to
// core 0 with the server on core 1; every configuration is repeated and each repetition starts a
// fresh server. The bare-fastify floor runs the same way: what the machine and Node's HTTP stack
// cost at that moment, with no contract, model, log or metrics.
const pacedRuns: string[] = [];
const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
type Rep = PacedLoadResult &
  Partial<WireLoadResult> &
  ServerQuantiles & {
    cpu_us: number;
    runq_us: number;
    records_per_commit: number;
    load1: number;
  };
function pacedCase(
  name: string,
  target: string | undefined,
  reps: Rep[],
  extra: Record<string, number | string> = {},
  pinned = pin,
) {
  const col = (f: (r: Rep) => number) => reps.map(f);
  const wire = reps.every((r) => r.fromSendP99 !== undefined);
  const p99s = col((r) => r.p99);
  const fmt2 = (x: number) => x.toFixed(2);
  pacedRuns.push(
    `${name}: ${reps.map((r) => `p50 ${fmt2(r.p50)} / p90 ${fmt2(r.p90)} / p99 ${fmt2(r.p99)} / p99.9 ${fmt2(r.p999)} ms${wire ? ` (from the write: p99 ${fmt2(r.fromSendP99!)} ms; the client's send lag p99 ${fmt2(r.sendLagP99!)} ms)` : ""}, server p99 ${fmt2(r.server_p99_ms)} ms, fdatasync p50 ${fmt2(r.sync_p50_ms)} / p99 ${fmt2(r.sync_p99_ms)} / p99.9 ${fmt2(r.sync_p999_ms)} ms, group p99 ${fmt2(r.group_p99)}${Number.isNaN(r.pool_syncs) ? "" : `, ${r.pool_syncs} syncs on the pool (${r.sync_moves} moves)`}, ${r.cpu_us.toFixed(0)} us CPU and ${r.runq_us.toFixed(0)} us run-queue wait per request, load ${r.load1.toFixed(2)}`).join("; ")}`,
  );
  cases.push({
    name,
    ...(target ? { target, pass: reps.every((r) => r.p99 <= 5 && r.errors === 0 && r.ok === r.sent) } : {}),
    runs: reps.length,
    metrics: {
      offered_rps: 1000,
      achieved_rps: median(col((r) => r.achievedRps)),
      p50_ms: median(col((r) => r.p50)),
      p90_ms: median(col((r) => r.p90)),
      p99_ms: median(p99s),
      p99_ms_min: Math.min(...p99s),
      p99_ms_max: Math.max(...p99s),
      p99_9_ms: median(col((r) => r.p999)),
      max_ms: Math.max(...col((r) => r.max)),
      ...(wire
        ? {
            from_send_p99_ms: median(col((r) => r.fromSendP99!)),
            send_lag_p99_ms: median(col((r) => r.sendLagP99!)),
          }
        : {}),
      server_p50_ms: median(col((r) => r.server_p50_ms)),
      server_p99_ms: median(col((r) => r.server_p99_ms)),
      server_cpu_us_per_request: median(col((r) => r.cpu_us)),
      server_runqueue_wait_us_per_request: median(col((r) => r.runq_us)),
      sync_p50_ms: median(col((r) => r.sync_p50_ms)),
      sync_p99_ms: median(col((r) => r.sync_p99_ms)),
      sync_p99_9_ms: median(col((r) => r.sync_p999_ms)),
      group_p99: median(col((r) => r.group_p99)),
      pool_syncs: median(col((r) => r.pool_syncs)),
      sync_moves_max: Math.max(...col((r) => r.sync_moves)),
      ...(reps.some((r) => Number.isFinite(r.sync_lag_p99_ms))
        ? {
            sync_lag_p99_ms: median(col((r) => r.sync_lag_p99_ms)),
            sync_lag_max_ms: Math.max(...col((r) => r.sync_lag_max_ms)),
          }
        : {}),
      ...extra,
      errors: reps.reduce((acc, r) => acc + r.errors, 0),
      seconds,
      pinned,
      load_1min: `${Math.min(...col((r) => r.load1)).toFixed(2)}-${Math.max(...col((r) => r.load1)).toFixed(2)}`,
    },
  });
}
async function pacedRep(
  url: string,
  pid: number,
  health: string | null,
  opts: { rate?: number; pinned?: boolean; client?: ClientKind } = {},
): Promise<
  PacedLoadResult &
    Partial<WireLoadResult> & { cpu_us: number; runq_us: number; records_per_commit: number; load1: number }
> {
  const load1 = loadavg()[0]!;
  const logStats = async () =>
    health
      ? ((await (await fetch(health)).json()) as { log: { records: number; commits: number } }).log
      : { records: 0, commits: 0 };
  const pinned = opts.pinned ?? pin;
  // Warm-up: 3 s at half the rate (JIT, the model's predictor, connections), not measured.
  const warm = await pacedClient(url, 500, 3, pinned ? CLIENT_CPU : undefined, opts.client);
  if (warm.errors > 0) throw new Error(`warm-up: ${warm.errors} errors`);
  const l0 = await logStats();
  const c0 = procSched(pid);
  const r = await pacedClient(url, opts.rate ?? 1000, seconds, pinned ? CLIENT_CPU : undefined, opts.client);
  const c1 = procSched(pid);
  const cpu_us = ((c1.run - c0.run) * 1e6) / r.sent;
  const runq_us = ((c1.wait - c0.wait) * 1e6) / r.sent;
  const l1 = await logStats();
  const commits = l1.commits - l0.commits;
  return {
    ...r,
    cpu_us,
    runq_us,
    records_per_commit: commits > 0 ? (l1.records - l0.records) / commits : 0,
    load1,
  };
}
// The configurations run interleaved, one repetition of each in turn, so the floor and every mode
// meet the same moments of the shared machine.
const NO_QUANTILES: ServerQuantiles = {
  server_p50_ms: Number.NaN,
  server_p99_ms: Number.NaN,
  sync_p50_ms: Number.NaN,
  sync_p99_ms: Number.NaN,
  sync_p999_ms: Number.NaN,
  group_p99: Number.NaN,
  pool_syncs: Number.NaN,
  sync_moves: Number.NaN,
  sync_lag_p99_ms: Number.NaN,
  sync_lag_max_ms: Number.NaN,
};
if (want("paced")) {
  // Every mode with the raw-socket client (paced-client.ts --wire: sleeps between requests, a few percent
  // of its core); write mode and the floor also with the node:http client (paced-client.ts, which
  // polls with setImmediate and keeps its core busy), so the client's own share of the tail shows.
  const modes = [
    // Every mode that keeps each acknowledged decision through kill -9 is a target row; `fsync`
    // also through a power cut, `interval` (the default of `cia serve`) loses at most its last
    // 10 ms there.
    { key: "fsync", durability: "fsync", env: {}, client: "wire", target: true },
    { key: "interval", durability: "interval", env: {}, client: "wire", target: true },
    { key: "fsync-loop", durability: "fsync", env: { SERVE_SYNC_ON: "loop" }, client: "wire", target: false },
    { key: "fsync-pool", durability: "fsync", env: { SERVE_SYNC_ON: "pool" }, client: "wire", target: false },
    { key: "write", durability: "write", env: {}, client: "wire", target: true },
    { key: "write-http", durability: "write", env: {}, client: "http", target: false },
    // Poisson arrivals (exponential gaps, bursts included): what independent users send.
    { key: "fsync-poisson", durability: "fsync", env: {}, client: "poisson", target: true },
    { key: "interval-poisson", durability: "interval", env: {}, client: "poisson", target: true },
    { key: "write-poisson", durability: "write", env: {}, client: "poisson", target: true },
  ] as const;
  const bareClients = ["wire", "http"] as const;
  /** SERVE_BENCH_MODES=interval,fsync-poisson: only these paced modes (a quicker diagnosis run). */
  const onlyModes = process.env.SERVE_BENCH_MODES?.split(",").map((m) => m.trim());
  const runModes = modes.filter((m) => onlyModes === undefined || onlyModes.includes(m.key));
  const reps = new Map<string, Rep[]>(runModes.map((m) => [m.key, []]));
  const bare = new Map<string, Rep[]>(bareClients.map((c) => [c, []]));
  for (let rep = 0; rep < repetitions; rep++) {
    for (const mode of runModes) {
      const s = await startChildServer(
        policy.bundleDir,
        join(policy.dir, `logs-paced-${mode.key}-${rep}`),
        mode.durability,
        [],
        pin ? SERVER_CPU : undefined,
        mode.env,
      );
      const r = await pacedRep(`${s.url}/decide`, s.child.pid!, `${s.url}/health`, { client: mode.client });
      const q = await serverQuantiles(s);
      s.child.kill("SIGTERM");
      await s.exited;
      reps.get(mode.key)!.push({ ...r, ...q });
      say(
        `1000 req/s paced ${mode.key} #${rep + 1}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, p99.9 ${r.p999.toFixed(2)} ms, errors ${r.errors}; server p99 ${q.server_p99_ms.toFixed(2)} ms, fdatasync p50 ${q.sync_p50_ms.toFixed(2)} / p99 ${q.sync_p99_ms.toFixed(2)} ms, ${r.cpu_us.toFixed(0)} us CPU/request, ${r.records_per_commit.toFixed(2)} records/commit, ${q.pool_syncs} syncs on the pool (${q.sync_moves} moves), load ${r.load1.toFixed(2)}`,
      );
    }
    for (const client of bareClients) {
      const b = await startBareServer(pin ? SERVER_CPU : undefined);
      const r = await pacedRep(`${b.url}/decide`, b.pid, null, { client });
      b.child.kill("SIGTERM");
      await b.exited;
      bare.get(client)!.push({ ...r, ...NO_QUANTILES });
      say(
        `1000 req/s paced, bare fastify (${client} client) #${rep + 1}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, p99.9 ${r.p999.toFixed(2)} ms; ${r.cpu_us.toFixed(0)} us CPU/request, load ${r.load1.toFixed(2)}`,
      );
    }
  }
  const clientName = {
    wire: "raw-socket client",
    poisson: "raw-socket client",
    http: "node:http client",
  } as const;
  for (const mode of runModes) {
    const rs = reps.get(mode.key)!;
    const syncOn =
      mode.durability !== "fsync"
        ? ""
        : `, syncOn ${mode.key === "fsync-pool" ? "pool" : mode.key === "fsync-loop" ? "loop" : "adaptive"}`;
    pacedCase(
      `p99 at 1,000 req/s, open-loop ${mode.client === "poisson" ? "Poisson" : "paced"} arrivals (durability ${mode.durability}${syncOn}${mode.durability === DEFAULT_DURABILITY ? ", the default" : ""}; ${clientName[mode.client]})${mode.target ? "" : " (for comparison)"}`,
      mode.target ? "p99 <= 5 ms" : undefined,
      rs,
      { records_per_commit: median(rs.map((r) => r.records_per_commit)) },
    );
  }
  for (const client of bareClients)
    pacedCase(
      `floor: bare fastify, constant answer, 1,000 req/s paced (same pinning; ${clientName[client]})`,
      undefined,
      bare.get(client)!,
    );
  if (pin) {
    const s = await startChildServer(policy.bundleDir, join(policy.dir, "logs-paced-unpinned"), "write");
    const r = await pacedRep(`${s.url}/decide`, s.child.pid!, `${s.url}/health`, { pinned: false });
    const q = await serverQuantiles(s);
    s.child.kill("SIGTERM");
    await s.exited;
    say(`1000 req/s paced write, unpinned: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
    pacedCase(
      "p99 at 1,000 req/s, paced, durability write, client and server NOT pinned (one run)",
      undefined,
      [{ ...r, ...q }],
      {},
      false,
    );
  }
}

// 1c. The rate at which the latency target still holds: paced steps (the default durability),
// fresh server, 5 s each.
if (want("steps")) {
  const s = await pinnedServer(policy.bundleDir, join(policy.dir, "logs-paced-steps"), DEFAULT_DURABILITY);
  await pacedClient(`${s.url}/decide`, 500, 3, pin ? CLIENT_CPU : undefined);
  let within = 0;
  const steps: string[] = [];
  for (const rate of [1000, 2000, 3000, 4000, 5000]) {
    const r = await pacedClient(`${s.url}/decide`, rate, 5, pin ? CLIENT_CPU : undefined);
    const ok = r.errors === 0 && r.achievedRps >= 0.98 * rate && r.p99 <= 5;
    steps.push(`${rate}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${ok ? "" : " (over)"}`);
    say(`paced step ${steps[steps.length - 1]}`);
    if (!ok) break;
    within = rate;
  }
  s.child.kill("SIGTERM");
  await s.exited;
  notes.push(`Paced steps, ${DEFAULT_DURABILITY} (offered rate: client latency): ${steps.join("; ")}.`);
  cases.push({
    name: `highest paced rate with p99 <= 5 ms (${DEFAULT_DURABILITY}; steps of 1,000 req/s, 5 s each)`,
    metrics: { rps_within_5ms_p99: within, steps: steps.length },
  });
}

// 1b. The serving layer alone: the same paced load on a ridge T-learner (no trees to walk), to
// separate the server's own latency (parse, contract, rule, log, sync) from the model's.
if (want("ridge")) {
  const fx = await servingFixture({ units: 4000, deploy: { epsilon: 0.05, dailyBudget: null } });
  const s = await pinnedServer(fx.bundleDir, join(fx.dir, "logs"), DEFAULT_DURABILITY);
  const r = await pacedRep(`${s.url}/decide`, s.child.pid!, `${s.url}/health`, { client: "wire" });
  const q = await serverQuantiles(s);
  s.child.kill("SIGTERM");
  await s.exited;
  say(
    `1000 req/s paced ridge: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}; server p99 ${q.server_p99_ms.toFixed(2)} ms, ${r.cpu_us.toFixed(0)} us CPU/request`,
  );
  pacedCase(
    `p99 at 1,000 req/s, open-loop paced arrivals, ridge T-learner (serving layer, no trees; ${DEFAULT_DURABILITY}; raw-socket client)`,
    "p99 <= 5 ms",
    [{ ...r, ...q }],
  );
}

// 2. Maximum sustained rate: fixed-rate steps of 6 s; sustained = at least 98% of the offered rate
// achieved with no error and no non-2xx, and a bounded queue (p99 <= 250 ms). Then the closed-loop
// maximum with 32 connections.
if (want("max")) {
  const s = await pinnedServer(policy.bundleDir, join(policy.dir, "logs-max"), DEFAULT_DURABILITY);
  await run({ url: `${s.url}/decide`, connections: 20, duration: 3 }).result;
  let best = 0;
  const steps: string[] = [];
  let bestP99 = Number.NaN;
  for (const rate of [1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000]) {
    const r = await run({ url: `${s.url}/decide`, connections: 64, overallRate: rate, duration: 6 }).result;
    const ok = r.requests.average >= 0.98 * rate && r.errors === 0 && r.non2xx === 0 && r.latency.p99 <= 250;
    steps.push(
      `${rate}: ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${ok ? "" : " (not sustained)"}`,
    );
    say(`step ${steps[steps.length - 1]}`);
    if (!ok) break;
    best = rate;
    bestP99 = r.latency.p99;
  }
  const closed = await run({ url: `${s.url}/decide`, connections: 32, duration: 8 }).result;
  s.child.kill("SIGTERM");
  await s.exited;
  say(`closed loop, 32 connections: ${closed.requests.average} req/s, p99 ${closed.latency.p99} ms`);
  notes.push(`Fixed-rate steps (offered: achieved, latency): ${steps.join("; ")}.`);
  cases.push({
    name: `maximum sustained rate (${DEFAULT_DURABILITY})`,
    target: ">= 98% of the offered rate, no errors, p99 <= 250 ms",
    metrics: {
      sustained_rps: best,
      p99_ms_at_sustained: bestP99,
      closed_loop_rps: closed.requests.average,
      closed_loop_p50_ms: closed.latency.p50,
      closed_loop_p99_ms: closed.latency.p99,
      closed_loop_non2xx: closed.non2xx,
    },
  });
}

// 3. kill -9 under load at 1,000 req/s, restart, every acknowledged decision in the log: in both
// durability modes (a process kill leaves the page cache, so `interval` and `write` must pass this too).
if (want("kill"))
  for (const durability of ["fsync", "interval", "write"] as const) {
    const logDir = join(policy.dir, `logs-kill-${durability}`);
    const s = await pinnedServer(policy.bundleDir, logDir, durability);
    await run({ url: `${s.url}/decide`, connections: 10, duration: 2 }).result;
    const acked: string[] = [];
    const load = run(
      { url: `${s.url}/decide`, connections: 50, overallRate: 1000, duration: 10 },
      (status, body) => {
        if (status === 200) acked.push((JSON.parse(body) as { decision_id: string }).decision_id);
      },
    );
    await new Promise((r) => setTimeout(r, 3000));
    s.child.kill("SIGKILL");
    await s.exited;
    const ackedAtKill = acked.length;
    load.stop();
    await load.result.catch(() => undefined);
    const again = await pinnedServer(policy.bundleDir, logDir, durability);
    again.child.kill("SIGTERM");
    await again.exited;
    const ids = await loggedIds(logDir);
    const missing = acked.filter((id) => !ids.has(id)).length;
    say(
      `kill -9 (${durability}): ${ackedAtKill} acknowledged, ${ids.size} logged, ${missing} missing, ${again.repairedBytes} torn bytes cut at restart`,
    );
    cases.push({
      name: `kill -9 under load at 1,000 req/s, restart (durability ${durability})`,
      target: "every acknowledged decision logged; strict parse",
      pass: missing === 0,
      metrics: {
        acknowledged: acked.length,
        logged: ids.size,
        missing,
        torn_bytes_repaired: again.repairedBytes,
      },
    });
  }

// 4. 10,000 malformed requests: every answer 4xx, server up, memory flat.
if (want("malformed")) {
  const s = await pinnedServer(policy.bundleDir, join(policy.dir, "logs-bad"), DEFAULT_DURABILITY);
  const f = requestFeatures(policy.units, 0);
  const { platform: _p, ...missing } = f;
  const huge = JSON.stringify({ unit_id: "u", features: f, pad: "x".repeat(1.5 * 2 ** 20) });
  const bad: { body: string; type?: string }[] = [
    { body: '{"unit_id": "u1", "features": {' },
    { body: JSON.stringify({ unit_id: "u2", features: missing }) },
    { body: JSON.stringify({ unit_id: "u3", features: { ...f, tenure_days: "long" } }) },
    { body: JSON.stringify({ unit_id: "u4", features: { ...f, region: "mars" } }) },
    { body: JSON.stringify({ unit_id: 5, features: f }) },
    { body: JSON.stringify({ unit_id: "u6", features: [1, 2] }) },
    {
      body: JSON.stringify({
        requests: [
          { unit_id: "u7", features: f },
          { unit_id: "u8", features: { ...f, platform: 3.5 } },
        ],
      }),
    },
    { body: "unit_id=u9", type: "text/plain" },
    { body: "" },
    { body: huge },
  ];
  const badRun = (amount: number) => {
    let k = 0;
    return new Promise<Result>((resolve, reject) =>
      autocannon(
        {
          url: `${s.url}/decide`,
          method: "POST",
          connections: 10,
          amount,
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                const b = bad[k++ % bad.length]!;
                return { ...req, body: b.body, headers: { "content-type": b.type ?? "application/json" } };
              },
            },
          ],
        } as autocannon.Options,
        (err, r) => (err ? reject(err) : resolve(r as Result)),
      ),
    );
  };
  await badRun(2000);
  const before = rssMb(s.child.pid!);
  const t = performance.now();
  const r = await badRun(10_000);
  const ms = performance.now() - t;
  const after = rssMb(s.child.pid!);
  // Two more 10,000s tell garbage from a leak: a contract violation's answer leaves about 6 kB of
  // garbage (the issues, the error), so RSS saw-tooths by some 45 MB between collections (a
  // 60,000-request probe read 175-222 MB, heap used falling back to 33-50 MB), where a leak would
  // climb with every pass. Flat: every pass's RSS within 50 MB of the warmed-up server's.
  const passes = [after];
  const more: Result[] = [];
  for (let k = 0; k < 2; k++) {
    more.push(await badRun(10_000));
    passes.push(rssMb(s.child.pid!));
  }
  const health = await fetch(`${s.url}/health`);
  const good = await fetch(`${s.url}/decide`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: bodies[0]!,
  });
  s.child.kill("SIGTERM");
  await s.exited;
  const stats = r.statusCodeStats ?? {};
  /** Answers of a run with a status in [lo, hi). */
  const countIn = (result: Result, lo: number, hi: number) =>
    Object.entries(result.statusCodeStats ?? {}).reduce(
      (acc, [code, v]) => acc + (Number(code) >= lo && Number(code) < hi ? (v?.count ?? 0) : 0),
      0,
    );
  const count = (lo: number, hi: number) => countIn(r, lo, hi);
  const fourxx = count(400, 500);
  const moreFourxx = more.map((m) => countIn(m, 400, 500));
  say(
    `malformed: ${fourxx} 4xx of ${r.requests.total} (${JSON.stringify(stats)}), errors ${r.errors}, RSS ${before.toFixed(1)} -> ${passes.map((x) => x.toFixed(1)).join(" / ")} MB after 10,000 / 20,000 / 30,000 (${moreFourxx.join(" and ")} 4xx in the later passes), health ${health.status}, good request ${good.status}`,
  );
  cases.push({
    name: "10,000 malformed requests",
    target: "all 4xx, server up, RSS flat (within 50 MB of the warmed-up server's after each of 3 passes)",
    pass:
      fourxx === 10_000 &&
      moreFourxx.every((c) => c === 10_000) &&
      r.errors === 0 &&
      more.every((m) => m.errors === 0) &&
      health.status === 200 &&
      good.status === 200 &&
      passes.every((x) => x - before < 50),
    median_ms: ms,
    metrics: {
      requests: r.requests.total,
      answered_4xx: fourxx,
      other_status: count(0, 400) + count(500, 1000),
      connection_errors: r.errors,
      rss_before_mb: before,
      rss_after_mb: after,
      rss_after_20000_mb: passes[1]!,
      rss_after_30000_mb: passes[2]!,
      health_after: health.status,
      status_codes: JSON.stringify(
        Object.fromEntries(Object.entries(stats).map(([c, v]) => [c, v?.count ?? 0])),
      ),
    },
  });
}

notes.push(
  `Machine load (1/5/15-minute load average of every job on the shared 2-core machine) at the start: ${fmtLoad(loadAtStart)}; at the end: ${fmtLoad(loadavg())}. Latency here is mostly CPU contention: on a quiet machine the numbers are lower.`,
  `Model: T-learner, 100-tree boosted value and cost heads per arm (control + 4 offers: ${policy.trees} trees a decision), 15 leaves, trained on ${trainUnits} simulated units; epsilon 0.05 exploration; single requests of 9 features.`,
  `Placement: ${pin ? "every server pinned to core 1 (taskset -c 1); autocannon (this process) and the paced client (a process of its own) pinned to core 0" : "not pinned (SERVE_BENCH_PIN=0)"}; 127.0.0.1. autocannon latencies are whole milliseconds (coordinated-omission corrected at a fixed rate); the paced clients' are from each request's due time (open loop, no coordinated omission): the raw-socket client (paced-client.ts --wire: pre-encoded requests on keep-alive sockets, a pacer that sleeps in a worker) and the node:http client (which polls with setImmediate, so it keeps core 0 busy); from_send_p99_ms is the raw-socket client's latency from the moment it wrote the request and send_lag_p99_ms how late it wrote (its own share of the tail). server_p50/p99 are the server's own receipt-to-response summary (the 60 s window, so the 3 s warm-up at 500 req/s is in it); autocannon cases' server CPU is user + system from the server's own metrics; the paced cases' is the on-CPU time of all the server's threads (/proc schedstat, exact) over the measured run, per request, beside their run-queue wait (time runnable but waiting for a core).`,
  `Paced runs (${repetitions} repetitions each, a fresh server per repetition, 3 s warm-up at 500 req/s): ${pacedRuns.join(". ")}.`,
  "durability fsync: a decision is answered after its group commit is written and fdatasync'ed (survives kill -9 and a power cut); interval (the default of cia serve): after its group commit reached the OS, the log fdatasync'ed on the thread pool every 10 ms while it has unsynced decisions (survives kill -9; a power cut loses at most the last interval's decisions); write: after it reached the OS, never synced while serving. The disk is shared with other jobs, so fsync latency varies.",
);
if (only !== undefined) {
  process.stdout.write(`${JSON.stringify({ cases, notes }, null, 2)}\n`);
  process.exit(0);
}
const file = recordSuite({
  suite: "serve",
  description:
    "`cia serve`: p99 latency at 1,000 req/s, maximum sustained rate, kill -9 recovery and malformed-request robustness of the online decision service (packages/serve/bench/serve.bench.ts).",
  cases,
  notes,
});
say(`wrote ${file} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
