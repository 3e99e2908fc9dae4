import { join } from "node:path";
import {
  DecisionLog,
  type PolicyBundle,
  type PolicyServer,
  createPolicyServer,
  loadPolicyBundle,
} from "@cia/serve";
import { guardPaths, resolvedPath } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { usageError } from "../io/usage-error.js";

export interface ServeCommandOptions {
  policy: string;
  port: number;
  logDir?: string;
  logMaxMb: number;
  logMaxAgeS: number;
  /** What an answer waits for (the CLI's default: `interval`; see the serve package's README). */
  durability: "fsync" | "interval" | "write";
  /** interval mode: the fdatasync period, ms (default: the log's, 10). */
  syncIntervalMs?: number | undefined;
  /** fsync mode: where the fdatasync runs (default: the log's, `adaptive`). */
  syncOn?: "adaptive" | "pool" | "loop" | undefined;
  /** fsync mode, `adaptive`: the loop sync time (ms) that moves the syncs to the pool (default: the log's, 3). */
  slowSyncMs?: number | undefined;
  /** fsync and interval modes: zero-fill this many bytes ahead of the records (default: the log's, 8 MiB). */
  preallocateBytes?: number | undefined;
  bodyLimitKb: number;
  maxBatch: number;
}

/**
 * Load the bundle, open the decisions log and listen on 127.0.0.1 (what `cia serve` does before
 * it waits for a signal); returns the running server and its address.
 *
 * @example
 * const { server, url } = await startServe({ policy: "deploy", port: 0, logMaxMb: 64, logMaxAgeS: 3600, durability: "fsync", bodyLimitKb: 1024, maxBatch: 1000 });
 */
export async function startServe(opts: ServeCommandOptions): Promise<{
  server: PolicyServer;
  url: string;
  port: number;
  logDir: string;
  bundle: PolicyBundle;
  log: DecisionLog;
}> {
  const bundle = loadPolicyBundle(opts.policy);
  const logDir = opts.logDir ?? join(opts.policy, "logs");
  // Logs beside policy.json and the model would mix the deployed bundle with growing files.
  if (resolvedPath(logDir) === resolvedPath(opts.policy))
    throw usageError(
      `--log-dir ${logDir} is the --policy bundle directory ${opts.policy}: give the logs their own directory (default <policy>/logs)`,
    );
  // Flags that tune a sync the chosen mode does not run would be silently ignored: refuse them.
  const perGroup = [
    opts.syncOn !== undefined && "--sync-on",
    opts.slowSyncMs !== undefined && "--slow-sync-ms",
  ].filter(Boolean);
  if (opts.durability === "write") {
    const given = [
      ...perGroup,
      opts.preallocateBytes !== undefined && "--preallocate-bytes",
      opts.syncIntervalMs !== undefined && "--sync-interval-ms",
    ].filter(Boolean);
    if (given.length > 0)
      throw usageError(
        `${given.join(" and ")} tune the fdatasync of --durability fsync or interval; --durability write does not sync`,
      );
  }
  if (opts.durability === "interval" && perGroup.length > 0)
    throw usageError(
      `${perGroup.join(" and ")} tune the per-group fdatasync of --durability fsync; --durability interval syncs in the background every --sync-interval-ms`,
    );
  if (opts.durability === "fsync" && opts.syncIntervalMs !== undefined)
    throw usageError(
      "--sync-interval-ms tunes --durability interval; --durability fsync syncs every group commit before answering",
    );
  if (opts.slowSyncMs !== undefined && opts.syncOn !== undefined && opts.syncOn !== "adaptive")
    throw usageError(
      `--slow-sync-ms tunes --sync-on adaptive; --sync-on ${opts.syncOn} does not move the syncs`,
    );
  guardPaths({ outputs: {}, dirs: { "--log-dir": logDir } });
  const log = await DecisionLog.open({
    dir: logDir,
    maxBytes: opts.logMaxMb * 2 ** 20,
    maxAgeMs: opts.logMaxAgeS * 1000,
    durability: opts.durability,
    syncIntervalMs: opts.syncIntervalMs,
    syncOn: opts.syncOn,
    slowSyncMs: opts.slowSyncMs,
    preallocateBytes: opts.preallocateBytes,
  });
  const server = await createPolicyServer({
    bundle,
    log,
    bodyLimit: opts.bodyLimitKb * 1024,
    maxBatch: opts.maxBatch,
  });
  try {
    const { url, port } = await server.listen(opts.port);
    return { server, url, port, logDir, bundle, log };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/**
 * `cia serve`: the deployed policy behind POST /decide, POST /spend, GET /health and GET /metrics
 * on 127.0.0.1. Prints one JSON line once listening; on SIGTERM or SIGINT it stops accepting,
 * drains the requests in flight, flushes and syncs the decisions log, and exits 0.
 *
 * @example
 * await serveCommand({ policy: "deploy", port: 8080, logMaxMb: 64, logMaxAgeS: 3600, durability: "fsync", bodyLimitKb: 1024, maxBatch: 1000 });
 */
export async function serveCommand(opts: ServeCommandOptions): Promise<void> {
  const { server, url, port, logDir, bundle, log } = await startServe(opts);
  // The handlers go in before the summary line: a supervisor that sends SIGTERM as soon as it reads
  // the line would otherwise meet the default disposition and kill the process without a drain.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`cia serve: ${signal}: draining in-flight requests and flushing the log\n`);
      server.close().then(resolve, (e) => {
        process.stderr.write(`cia serve: shutdown: ${(e as Error).message}\n`);
        resolve();
      });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  const m = bundle.manifest;
  printSummary({
    url,
    port,
    policy_id: m.policy_id,
    model_version: m.model_version,
    lambda: m.lambda,
    log_dir: logDir,
    durability: opts.durability,
    ...(log.settings.durability === "fsync"
      ? {
          sync_on: log.settings.syncOn,
          ...(log.settings.syncOn === "adaptive" ? { slow_sync_ms: log.settings.slowSyncMs } : {}),
          preallocate_bytes: log.settings.preallocateBytes,
        }
      : {}),
    ...(log.settings.durability === "interval"
      ? {
          sync_interval_ms: log.settings.syncIntervalMs,
          preallocate_bytes: log.settings.preallocateBytes,
        }
      : {}),
  });
  await stopped;
  process.stderr.write(
    `cia serve: stopped (${server.app.server.listening ? "still listening" : "closed"})\n`,
  );
}
