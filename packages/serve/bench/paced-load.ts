import { Agent, request } from "node:http";

/** Latency quantiles of an open-loop run, in milliseconds. */
export interface PacedLoadResult {
  sent: number;
  ok: number;
  errors: number;
  achievedRps: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Open-loop load: request i is due at start + i / rate and is sent then, whatever happened to the
 * earlier ones, and its latency counts from its due time (so a late client or a stalled server
 * cannot hide time: no coordinated omission). autocannon's `overallRate` instead gives each
 * connection a quota per second that it spends as fast as it can at the top of the second, so
 * "1,000 req/s" arrives as a burst with 50 requests in flight; this pacer is what "1,000 users
 * a second, each arriving on their own" looks like.
 *
 * @example
 * const r = await pacedLoad("http://127.0.0.1:8080/decide", bodies, 1000, 10);
 * r.p99; // ms
 */
export function pacedLoad(
  url: string,
  bodies: readonly string[],
  rate: number,
  seconds: number,
): Promise<PacedLoadResult> {
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.max(1, Math.round(rate * seconds));
  const latency = new Float64Array(total).fill(Number.NaN);
  let sent = 0;
  let finished = 0;
  let ok = 0;
  let errors = 0;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      if (++finished < total) return;
      agent.destroy();
      const elapsed = (performance.now() - t0) / 1000;
      const sorted = latency.filter((x) => !Number.isNaN(x)).sort();
      resolve({
        sent,
        ok,
        errors,
        achievedRps: total / elapsed,
        p50: quantile(sorted, 0.5),
        p90: quantile(sorted, 0.9),
        p99: quantile(sorted, 0.99),
        p999: quantile(sorted, 0.999),
        max: sorted[sorted.length - 1] ?? Number.NaN,
      });
    };
    const fire = (i: number) => {
      const due = t0 + (i * 1000) / rate;
      const body = bodies[i % bodies.length]!;
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            latency[i] = performance.now() - due;
            if (res.statusCode === 200) ok++;
            else errors++;
            finish();
          });
        },
      );
      req.on("error", () => {
        errors++;
        finish();
      });
      req.end(body);
    };
    // A timer fires no sooner than 1 ms after it was set, so a timer-only pacer sends requests up
    // to a millisecond after they are due, and that lateness counts as latency. Within 2 ms of the
    // next due time the pacer polls with setImmediate instead (this process has a core of its own).
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - t0) * rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent >= total) return;
      const wait = t0 + (sent * 1000) / rate - now;
      if (wait > 2) setTimeout(tick, wait - 1.5);
      else setImmediate(tick);
    };
    tick();
  });
}
