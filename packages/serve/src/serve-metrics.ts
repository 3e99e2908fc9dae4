import { Counter, Gauge, Registry, Summary, collectDefaultMetrics } from "prom-client";

/** The live values the gauges read at scrape time. */
export interface MetricsSources {
  lambda: () => number;
  spentToday: () => number;
  budgetToday: () => number | null;
  hardStop: () => boolean;
  logPending: () => number;
  logRecords: () => number;
  /** Decisions known to be fdatasync'ed (lags `logRecords` in the `interval` durability mode). */
  logSyncedRecords: () => number;
  /** Group commits whose fdatasync ran on the thread pool, and moves between loop and pool (`adaptive`). */
  logPoolSyncs: () => number;
  logSyncMoves: () => number;
}

/** The server's Prometheus metrics (one registry per server, so tests and servers never share counters). */
export interface ServeMetrics {
  registry: Registry;
  /** Requests answered, by route and status code. */
  requests: Counter<"route" | "status">;
  /** 4xx/5xx answers by reason (`bad_json`, `invalid_request`, `contract_violation`, ...). */
  errors: Counter<"reason">;
  /** Feature-contract violations by feature and issue code (features are the contract's: bounded). */
  violations: Counter<"feature" | "code">;
  /** Decisions logged and answered, by action, and whether exploration changed the recommendation. */
  decisions: Counter<"action" | "explored">;
  /** Request latency in seconds, p50 / p90 / p99 over a sliding 60 s window. */
  latency: Summary<"route">;
  /**
   * fdatasync time of the log in seconds (p50 / p90 / p99 / p99.9, 60 s window): of each group
   * commit (`fsync` mode) or of each background sync (`interval` mode).
   */
  logSync: Summary;
  /**
   * `interval` mode: age of the oldest decision a background sync made durable, when it finished
   * (seconds; p50 / p99 / max over 60 s): how much a power cut could lose.
   */
  logSyncLag: Summary;
  /** Records per group commit (p50 / p90 / p99, 60 s window): how many requests shared a sync. */
  logGroup: Summary;
}

/**
 * Create the metrics: `cia_serve_requests_total`, `cia_serve_errors_total`,
 * `cia_serve_contract_violations_total`, `cia_serve_decisions_total`,
 * `cia_serve_request_duration_seconds` (summary with p50 / p90 / p99), the log's
 * `cia_serve_log_sync_seconds`, `cia_serve_log_sync_lag_seconds` and `cia_serve_log_group_records` (summaries), gauges for lambda, today's
 * spend and budget, the hard stop and the log queue, and the process defaults (RSS, heap, event-loop
 * lag) with the `cia_serve_` prefix. Rendered in the Prometheus text format by `registry.metrics()`.
 *
 * @example
 * const m = createServeMetrics(sources);
 * m.decisions.inc({ action: "offer_5", explored: "false" });
 * const text = await m.registry.metrics();
 */
export function createServeMetrics(sources: MetricsSources): ServeMetrics {
  const registry = new Registry();
  // prom-client compresses a summary's six t-digests every `compressCount` observations (default
  // 1,000), on the observing call: 1.6-3.7 ms at once here, three times a second at 1,000 req/s
  // with three summaries, each a stall of the event loop that every request behind it waits out.
  // The digests also compress themselves as they grow (well under a millisecond) and at every
  // scrape, so the quantiles come out the same; only the periodic stall goes.
  const compressCount = Number.MAX_SAFE_INTEGER;
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "cia_serve_" });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  gauge("cia_serve_lambda", "Budget multiplier the decisions use now.", sources.lambda);
  gauge("cia_serve_spent_today", "Realized spend reported today (POST /spend).", sources.spentToday);
  gauge(
    "cia_serve_budget_today",
    "Today's budget (NaN: no hard stop).",
    () => sources.budgetToday() ?? Number.NaN,
  );
  gauge("cia_serve_hard_stop", "1 when today's budget is spent and only no offer is given.", () =>
    sources.hardStop() ? 1 : 0,
  );
  gauge("cia_serve_log_pending", "Decisions queued for the next group commit.", sources.logPending);
  gauge("cia_serve_log_records", "Decisions written to the log by this process.", sources.logRecords);
  gauge(
    "cia_serve_log_synced_records",
    "Decisions of this process known to be on disk (fdatasync'ed).",
    sources.logSyncedRecords,
  );
  gauge(
    "cia_serve_log_pool_syncs",
    "Group commits whose fdatasync ran on the thread pool (the rest ran on the event loop).",
    sources.logPoolSyncs,
  );
  gauge(
    "cia_serve_log_sync_moves",
    "Moves of the log's fdatasync between the event loop and the thread pool (sync-on adaptive).",
    sources.logSyncMoves,
  );
  return {
    registry,
    requests: new Counter({
      name: "cia_serve_requests_total",
      help: "Requests answered, by route and status code.",
      labelNames: ["route", "status"],
      registers,
    }),
    errors: new Counter({
      name: "cia_serve_errors_total",
      help: "Error answers by reason.",
      labelNames: ["reason"],
      registers,
    }),
    violations: new Counter({
      name: "cia_serve_contract_violations_total",
      help: "Feature-contract violations by feature and issue code.",
      labelNames: ["feature", "code"],
      registers,
    }),
    decisions: new Counter({
      name: "cia_serve_decisions_total",
      help: "Decisions logged and answered, by action.",
      labelNames: ["action", "explored"],
      registers,
    }),
    latency: new Summary({
      name: "cia_serve_request_duration_seconds",
      help: "Request latency (receipt to response), p50 / p90 / p99 over the last 60 s.",
      labelNames: ["route"],
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 60,
      ageBuckets: 6,
      compressCount,
      registers,
    }),
    logSync: new Summary({
      name: "cia_serve_log_sync_seconds",
      help: "fdatasync time of the decisions log (each group commit in fsync mode, each background sync in interval mode), over the last 60 s.",
      percentiles: [0.5, 0.9, 0.99, 0.999],
      maxAgeSeconds: 60,
      ageBuckets: 6,
      compressCount,
      registers,
    }),
    logSyncLag: new Summary({
      name: "cia_serve_log_sync_lag_seconds",
      help: "Durability interval mode: age of the oldest decision a background sync made durable, over the last 60 s.",
      percentiles: [0.5, 0.99, 1],
      maxAgeSeconds: 60,
      ageBuckets: 6,
      compressCount,
      registers,
    }),
    logGroup: new Summary({
      name: "cia_serve_log_group_records",
      help: "Decisions per group commit of the decisions log, over the last 60 s.",
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 60,
      ageBuckets: 6,
      compressCount,
      registers,
    }),
  };
}
