/**
 * Diagnosis run (not part of `pnpm bench`): one pinned server with profile-hooks preloaded, a 3 s
 * warm-up, then paced 1,000 req/s; prints client quantiles, server CPU/request, event-loop delay
 * and GC pauses. `node --import tsx --conditions=@cia/source bench/diagnose.ts [fsync|write|bare] [seconds] [nodeFlags...]`
 * (`bare`: bench/bare-server.ts, the floor). SERVE_CLIENT=paced uses the node:http client
 * (paced-client.ts) instead of the raw-socket one (paced-client.ts --wire); both are open loop.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startChildServer } from "../src/test-helpers/child-server.js";
import { requestFeatures } from "../src/test-helpers/serving-fixture.js";
import { buildBenchPolicy } from "./bench-model.js";
import type { PacedLoadResult } from "./paced-load.js";

const [durability = "write", secs = "10", ...flags] = process.argv.slice(2);
const benchDir = dirname(fileURLToPath(import.meta.url));
const policy = await buildBenchPolicy(10_000);
const bodies = Array.from({ length: 2000 }, (_, i) =>
  JSON.stringify({ unit_id: policy.units.unitIds[i], features: requestFeatures(policy.units, i) }),
);
const bodiesFile = join(policy.dir, "bodies.json");
writeFileSync(bodiesFile, JSON.stringify(bodies));
execFileSync("taskset", ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
const clientArgs = process.env.SERVE_CLIENT === "paced" ? [] : ["--wire"];
function paced(url: string, rate: number, s: number): Promise<PacedLoadResult> {
  const client = [join(benchDir, "paced-client.ts"), ...clientArgs, url, bodiesFile, String(rate), String(s)];
  const cmd = ["-c", "0", process.execPath, "--import", "tsx", ...client];
  const child = spawn("taskset", cmd, { cwd: join(benchDir, ".."), stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += String(d)));
  return new Promise((res) => child.once("exit", () => res(JSON.parse(out))));
}
/** bench/bare-server.ts on core 1, shaped like a child server for this script. */
function startBare(nodeArgs: string[]) {
  const argv = [
    "-c",
    "1",
    process.execPath,
    ...nodeArgs,
    "--import",
    "tsx",
    join(benchDir, "bare-server.ts"),
  ];
  const child = spawn("taskset", argv, { cwd: join(benchDir, ".."), stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += String(d)));
  const exited = new Promise((r) => child.once("exit", r));
  return new Promise<{ child: typeof child; url: string; exited: Promise<unknown>; stderr: () => string }>(
    (res) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += String(d);
        if (out.includes("\n"))
          res({ child, url: `http://127.0.0.1:${JSON.parse(out).port}`, exited, stderr: () => err });
      });
    },
  );
}
interface Sched {
  user: number;
  sys: number;
  vcs: number;
  ivcs: number;
  run: number;
  wait: number;
}
/** utime, stime (ticks) and context switches of each thread of `pid`, summed by thread name. */
function threads(pid: number): Record<string, Sched> {
  const out: Record<string, Sched> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name =
        Number(tid) === pid ? "main" : `${st.slice(st.indexOf("(") + 1, st.lastIndexOf(")"))}-${tid}`;
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
      const num = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      const o = (out[name] ??= { user: 0, sys: 0, vcs: 0, ivcs: 0, run: 0, wait: 0 });
      // schedstat: ns on the CPU and ns runnable but waiting for it (exact, not tick-sampled).
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
      o.run += run!;
      o.wait += wait!;
      o.user += Number(f[11]);
      o.sys += Number(f[12]);
      o.vcs += num("voluntary_ctxt_switches");
      o.ivcs += num("nonvoluntary_ctxt_switches");
    } catch {
      // The thread exited meanwhile.
    }
  }
  return out;
}
const cpu = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const s =
  durability === "bare"
    ? await startBare(["--import", join(benchDir, "profile-hooks.mjs"), ...flags])
    : await startChildServer(
        policy.bundleDir,
        join(policy.dir, "logs"),
        durability as "write",
        ["--import", join(benchDir, "profile-hooks.mjs"), ...flags],
        "1",
      );
await paced(`${s.url}/decide`, 500, 3);
s.child.kill("SIGUSR2");
const c0 = cpu(s.child.pid!);
const t0 = threads(s.child.pid!);
const r = await paced(`${s.url}/decide`, 1000, Number(secs));
const cpuUs = ((cpu(s.child.pid!) - c0) * 1e6) / r.sent;
const t1 = threads(s.child.pid!);
/** Per thread (by name): user and system CPU us and context switches per request over the run. */
const perThread = Object.fromEntries(
  Object.entries(t1).map(([name, v]) => {
    const b = t0[name] ?? { user: 0, sys: 0, vcs: 0, ivcs: 0, run: 0, wait: 0 };
    const per = (x: number) => Number((x / r.sent).toFixed(3));
    return [
      name,
      {
        run_us: per((v.run - b.run) / 1e3),
        runqueue_wait_us: per((v.wait - b.wait) / 1e3),
        user_us: per((v.user - b.user) * 1e4),
        sys_us: per((v.sys - b.sys) * 1e4),
        voluntary_switches: per(v.vcs - b.vcs),
        involuntary_switches: per(v.ivcs - b.ivcs),
      },
    ];
  }),
);
const text = durability === "bare" ? "" : await (await fetch(`${s.url}/metrics`)).text();
const q = (p: string) =>
  Number(
    new RegExp(`cia_serve_request_duration_seconds\\{quantile="${p}",route="/decide"\\} ([0-9.e-]+)`).exec(
      text,
    )?.[1],
  ) * 1000;
const logQ = (name: string, p: string) =>
  Number(new RegExp(`${name}\\{quantile="${p}"\\} ([0-9.e-]+)`).exec(text)?.[1]);
const sync = Object.fromEntries(
  ["0.5", "0.9", "0.99", "0.999"].map((p) => [
    `p${Number(p) * 100}`,
    logQ("cia_serve_log_sync_seconds", p) * 1000,
  ]),
);
const group = Object.fromEntries(
  ["0.5", "0.9", "0.99"].map((p) => [`p${Number(p) * 100}`, logQ("cia_serve_log_group_records", p)]),
);
s.child.kill("SIGTERM");
await s.exited;
const prof = /PROFILE (.*)/.exec(s.stderr())?.[1];
console.log(
  JSON.stringify(
    {
      durability,
      flags,
      client: clientArgs.length > 0 ? "wire" : "node:http",
      latency: r,
      server_p50: q("0.5"),
      server_p99: q("0.99"),
      log_sync_ms: sync,
      log_group_records: group,
      preallocate_bytes: process.env.SERVE_PREALLOCATE_BYTES ?? "default",
      cpu_us: cpuUs,
      threads: perThread,
      profile: prof ? JSON.parse(prof) : null,
      load: readFileSync("/proc/loadavg", "utf8").trim(),
    },
    null,
    1,
  ),
);
