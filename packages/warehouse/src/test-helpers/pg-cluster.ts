import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where Debian's PostgreSQL 15 puts its binaries (override with CIA_PG_BIN). */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .sort()
        .map((v) => join(root, v, "bin"))
    : [];
  const candidates = [process.env.CIA_PG_BIN, ...versions];
  for (const c of candidates)
    if (c && existsSync(join(c, "initdb")) && existsSync(join(c, "pg_ctl"))) return c;
  return undefined;
}

/** A throwaway PostgreSQL cluster on 127.0.0.1 under a temp directory. */
export interface PgCluster {
  port: number;
  dsn: string;
  dir: string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const live = new Set<PgCluster>();
let hooked = false;

/** Stop every cluster still running when the process exits (a failed or interrupted test run). */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const stopAll = () => {
    for (const c of [...live]) c.stop();
  };
  process.on("exit", stopAll);
  for (const sig of ["SIGINT", "SIGTERM"] as const)
    process.once(sig, () => {
      stopAll();
      process.exit(130);
    });
}

/**
 * initdb + pg_ctl start a cluster owned by the `postgres` user when running as root (initdb
 * refuses root), as the current user otherwise; superuser `cia`, trust authentication, listening
 * on 127.0.0.1 only at a free port, its socket in its own directory. `stop()` is immediate and
 * removes the directory; clusters still running at process exit are stopped too.
 */
export async function startPgCluster(name: string): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL binaries not found (apt-get install -y postgresql)");
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), `cia-pg-${name}-`));
  const data = join(dir, "data");
  const asPg = (cmd: string, args: string[]) => {
    if (root) execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "pipe" });
    else execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  };
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  let started = false;
  const cluster: PgCluster = {
    port,
    dir,
    dsn: `postgresql://cia@127.0.0.1:${port}/postgres`,
    stop() {
      if (!live.has(cluster)) return;
      live.delete(cluster);
      if (started) {
        try {
          asPg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } catch {
          // already down
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(cluster);
  hookExit();
  try {
    asPg("initdb", ["-D", data, "-A", "trust", "-U", "cia", "--no-sync", "-E", "UTF8"]);
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB -c max_parallel_workers_per_gather=0 -c jit=off`;
    asPg("pg_ctl", ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "start"]);
    started = true;
  } catch (e) {
    cluster.stop();
    throw e;
  }
  return cluster;
}
