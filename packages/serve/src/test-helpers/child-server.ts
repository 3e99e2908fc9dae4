import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The serve package root (tsx resolves from its node_modules). */
const packageRoot = join(here, "..", "..");

/** A policy server running in a child process (see serve-child.ts). */
export interface ChildServer {
  child: ChildProcess;
  port: number;
  url: string;
  repairedBytes: number;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Start `serve-child.ts` on a bundle and a log directory and wait until it listens. */
export function startChildServer(
  bundleDir: string,
  logDir: string,
  durability: "fsync" | "interval" | "write" = "fsync",
  nodeArgs: readonly string[] = [],
  /** Pin the server to these CPUs (`taskset -c`), e.g. "1" (the benchmark: client on the other core). */
  cpus?: string,
  /** Extra environment of the child (e.g. SERVE_PREALLOCATE_BYTES). */
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const argv = [
    ...nodeArgs,
    "--import",
    "tsx",
    "--conditions=@cia/source",
    join(here, "serve-child.ts"),
    bundleDir,
    logDir,
    durability,
  ];
  const child = spawn(
    cpus === undefined ? process.execPath : "taskset",
    cpus === undefined ? argv : ["-c", cpus, process.execPath, ...argv],
    {
      cwd: packageRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env, TSX_TSCONFIG_PATH: undefined },
    },
  );
  let err = "";
  child.stderr!.on("data", (d) => {
    err += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      const info = JSON.parse(out.slice(0, nl)) as { port: number; repaired_bytes: number };
      resolve({
        child,
        port: info.port,
        url: `http://127.0.0.1:${info.port}`,
        repairedBytes: info.repaired_bytes,
        exited,
        stderr: () => err,
      });
    });
    exited.then(({ code }) => reject(new Error(`server child exited (${code}) before listening: ${err}`)));
  });
}
