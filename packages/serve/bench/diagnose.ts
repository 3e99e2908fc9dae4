/**
 * Diagnosis run (not part of `pnpm bench`): one pinned server with profile-hooks preloaded, a 3 s
 * warm-up, then paced 1,000 req/s; prints client quantiles, server CPU/request, event-loop delay
 * and GC pauses. `node --import tsx --conditions=@cia/source bench/diagnose.ts [fsync|write] [seconds] [nodeFlags...]`
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
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
function paced(url: string, rate: number, s: number): Promise<PacedLoadResult> {
  const client = [join(benchDir, "paced-client.ts"), url, bodiesFile, String(rate), String(s)];
  const cmd = ["-c", "0", process.execPath, "--import", "tsx", ...client];
  const child = spawn("taskset", cmd, { cwd: join(benchDir, ".."), stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += String(d)));
  return new Promise((res) => child.once("exit", () => res(JSON.parse(out))));
}
const cpu = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const s = await startChildServer(
  policy.bundleDir,
  join(policy.dir, "logs"),
  durability as "write",
  ["--import", join(benchDir, "profile-hooks.mjs"), ...flags],
  "1",
);
await paced(`${s.url}/decide`, 500, 3);
s.child.kill("SIGUSR2");
const c0 = cpu(s.child.pid!);
const r = await paced(`${s.url}/decide`, 1000, Number(secs));
const cpuUs = ((cpu(s.child.pid!) - c0) * 1e6) / r.sent;
const text = await (await fetch(`${s.url}/metrics`)).text();
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
      client: { p50: r.p50, p90: r.p90, p99: r.p99, p999: r.p999, max: r.max, errors: r.errors },
      server_p50: q("0.5"),
      server_p99: q("0.99"),
      log_sync_ms: sync,
      log_group_records: group,
      preallocate_bytes: process.env.SERVE_PREALLOCATE_BYTES ?? "default",
      cpu_us: cpuUs,
      profile: prof ? JSON.parse(prof) : null,
      load: readFileSync("/proc/loadavg", "utf8").trim(),
    },
    null,
    1,
  ),
);
