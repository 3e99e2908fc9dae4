/**
 * A policy server in its own process, for the crash and shutdown tests and the benchmark:
 * `node --import tsx --conditions=@cia/source serve-child.ts <bundleDir> <logDir> [durability]`
 * (SERVE_PREALLOCATE_BYTES, SERVE_SYNC_ON=adaptive|loop|pool, SERVE_SLOW_SYNC_MS and
 * SERVE_SYNC_INTERVAL_MS set the log's `preallocateBytes`, `syncOn`, `slowSyncMs` and
 * `syncIntervalMs`, for the benchmark's comparisons and the diagnosis runs).
 * Prints `{"port":N}` once listening; SIGTERM drains, flushes the log and exits 0.
 */
import { DecisionLog } from "../decision-log.js";
import { loadPolicyBundle } from "../load-policy-bundle.js";
import { createPolicyServer } from "../policy-server.js";

const [bundleDir, logDir, durability] = process.argv.slice(2);
if (!bundleDir || !logDir) {
  process.stderr.write("usage: serve-child.ts <bundleDir> <logDir> [fsync|interval|write]\n");
  process.exit(2);
}
const log = await DecisionLog.open({
  dir: logDir,
  durability: durability === "write" || durability === "interval" ? durability : "fsync",
  syncIntervalMs:
    process.env.SERVE_SYNC_INTERVAL_MS === undefined ? undefined : Number(process.env.SERVE_SYNC_INTERVAL_MS),
  syncOn:
    process.env.SERVE_SYNC_ON === "loop" ||
    process.env.SERVE_SYNC_ON === "pool" ||
    process.env.SERVE_SYNC_ON === "adaptive"
      ? process.env.SERVE_SYNC_ON
      : undefined,
  slowSyncMs:
    process.env.SERVE_SLOW_SYNC_MS === undefined ? undefined : Number(process.env.SERVE_SLOW_SYNC_MS),
  preallocateBytes:
    process.env.SERVE_PREALLOCATE_BYTES === undefined
      ? undefined
      : Number(process.env.SERVE_PREALLOCATE_BYTES),
});
const server = await createPolicyServer({ bundle: loadPolicyBundle(bundleDir), log });
const { port } = await server.listen(Number(process.env.SERVE_PORT ?? 0));
// The handler goes in before the listening line: a parent that sends SIGTERM as soon as it reads
// the line would otherwise meet the default disposition (the process dies at once).
process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.stdout.write(
  `${JSON.stringify({ port, repaired_bytes: log.stats.repairedBytes, pid: process.pid })}\n`,
);
