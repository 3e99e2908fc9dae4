/**
 * Preloaded into a server process (`node --import ./bench/profile-hooks.ts ...`) by the diagnosis
 * run: the event-loop delay histogram and every GC pause, printed as one JSON line to stderr at exit.
 */
import { PerformanceObserver, monitorEventLoopDelay } from "node:perf_hooks";

const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ kind: e.detail?.kind ?? -1, ms: e.duration });
}).observe({ entryTypes: ["gc"] });
process.on("SIGUSR2", () => {
  h.reset();
  gcs.length = 0;
});
process.on("exit", () => {
  const byKind = {};
  for (const g of gcs) {
    const k = (byKind[g.kind] ??= { n: 0, total: 0, max: 0 });
    k.n++;
    k.total += g.ms;
    k.max = Math.max(k.max, g.ms);
  }
  const sorted = gcs.map((g) => g.ms).sort((a, b) => a - b);
  process.stderr.write(
    `PROFILE ${JSON.stringify({
      eld_ms: {
        p50: h.percentile(50) / 1e6,
        p99: h.percentile(99) / 1e6,
        p999: h.percentile(99.9) / 1e6,
        max: h.max / 1e6,
        mean: h.mean / 1e6,
      },
      gc: byKind,
      gc_p99_ms: sorted[Math.floor(0.99 * sorted.length)] ?? 0,
      mem: process.memoryUsage(),
    })}\n`,
  );
});
