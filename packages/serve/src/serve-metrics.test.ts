import { describe, expect, it } from "vitest";
import { createServeMetrics } from "./serve-metrics.js";

const sources = {
  lambda: () => 0.5,
  spentToday: () => 0,
  budgetToday: () => null,
  hardStop: () => false,
  logPending: () => 0,
  logRecords: () => 0,
  logSyncedRecords: () => 0,
  logPoolSyncs: () => 0,
  logSyncMoves: () => 0,
};

describe("the serve metrics", () => {
  it("summaries compress at scrape time, not every 1,000 observations, and still give the quantiles", async () => {
    const m = createServeMetrics(sources);
    // No periodic compression on the observing call (the event-loop stall it caused).
    expect((m.latency as unknown as { compressCount: number }).compressCount).toBe(Number.MAX_SAFE_INTEGER);
    expect((m.logSync as unknown as { compressCount: number }).compressCount).toBe(Number.MAX_SAFE_INTEGER);
    const lat = m.latency.labels("/decide");
    // 5,000 latencies spread evenly over 1-2 ms, in a scrambled order.
    for (let i = 0; i < 5000; i++) lat.observe(0.001 + ((i * 7919) % 5000) / 5e6);
    const text = await m.registry.metrics();
    const q = (p: string) =>
      Number(
        new RegExp(`cia_serve_request_duration_seconds\\{quantile="${p}",route="/decide"\\} (\\S+)`).exec(
          text,
        )?.[1],
      );
    expect(q("0.5")).toBeCloseTo(0.0015, 4);
    expect(q("0.99")).toBeCloseTo(0.00199, 4);
    expect(text).toMatch(/cia_serve_request_duration_seconds_count\{route="\/decide"\} 5000/);
  });
});
