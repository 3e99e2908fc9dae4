import { createHash } from "node:crypto";
import { connect, type Socket } from "node:net";
import { Worker } from "node:worker_threads";
import type { PacedLoadResult } from "./paced-load.js";

/** {@link PacedLoadResult} plus how late the client itself sent (ms after the due time). */
export interface WireLoadResult extends PacedLoadResult {
  /** Latency counted from the moment the request was written (not its due time): p50 / p99. */
  fromSendP50: number;
  fromSendP99: number;
  /** How late the client wrote requests: p50 / p99 / max of (write time - due time), ms. */
  sendLagP50: number;
  sendLagP99: number;
  sendLagMax: number;
  /** Connections the client opened (one request in flight on each at a time). */
  connections: number;
}

/**
 * Draw i of a seeded uniform stream in [0, 1): the first 48 bits of sha256("seed:i"). The client
 * runs as a plain `node --import tsx` process, without the workspace's source condition, so it
 * imports nothing from the workspace packages (their dist/ may not be built); a hash is plenty
 * fast for the 15,000 gaps of a run.
 */
function hashUniform(seed: number, i: number): number {
  return createHash("sha256").update(`${seed}:${i}`).digest().readUIntBE(0, 6) / 2 ** 48;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * The pacer's clock, in a worker thread: it sleeps (`Atomics.wait`, a futex with a sub-millisecond
 * timeout) until each request is due and then wakes the main thread with its index. The main
 * thread only ever sleeps in the event loop, so the client uses a few percent of its core instead
 * of polling with setImmediate (which keeps a core 100% busy, so a shared machine's scheduler
 * treats the client as a CPU hog and preempts it for whole time slices).
 */
const PACER = `
const { parentPort, workerData } = require("node:worker_threads");
const { t0, total, offsets } = workerData;
const at = new Float64Array(offsets);
const cell = new Int32Array(new SharedArrayBuffer(4));
// Absolute time (ms since the epoch, sub-ms): the worker's performance.now() has its own origin.
const abs = () => performance.timeOrigin + performance.now();
let i = 0;
while (i < total) {
  const wait = t0 + at[i] - abs();
  if (wait > 0.02) { Atomics.wait(cell, 0, 0, wait); continue; }
  // Every request due by now (several if this thread woke late), in one message.
  const now = abs() - t0;
  let due = i;
  while (due + 1 < total && at[due + 1] <= now) due++;
  parentPort.postMessage(due);
  i = due + 1;
}
`;

/**
 * Open-loop load over raw HTTP/1.1 keep-alive connections: request i is due at start + i / rate
 * and is written then on an idle connection (a new one if none is idle), whatever happened to the
 * earlier ones; its latency counts from its due time, so neither a late client nor a stalled
 * server hides time (no coordinated omission). The same measurement as {@link pacedLoad}, with
 * less client CPU: requests are pre-encoded bytes, a response is read by its Content-Length, and
 * the pacing sleeps in a worker instead of polling. It also reports the latency from the write and
 * the client's own lateness, so the client's share of the tail is visible.
 *
 * `arrivals`: "uniform" (default; request i due at i / rate) or "poisson" (independent
 * exponential gaps of mean 1 / rate, seeded: the bursts many independent users make, which a
 * group-committing server queues behind its syncs).
 *
 * @example
 * const r = await wireLoad("http://127.0.0.1:8080/decide", bodies, 1000, 10, { arrivals: "poisson" });
 * r.p99; // ms, from due time
 */
export function wireLoad(
  url: string,
  bodies: readonly string[],
  rate: number,
  seconds: number,
  options: { arrivals?: "uniform" | "poisson"; seed?: number } = {},
): Promise<WireLoadResult> {
  const u = new URL(url);
  const port = Number(u.port);
  const head = (n: number) =>
    `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${n}\r\n\r\n`;
  const wire = bodies.map((b) => Buffer.from(head(Buffer.byteLength(b)) + b, "utf8"));
  const total = Math.max(1, Math.round(rate * seconds));
  // Due times in ms after t0, shared with the pacer.
  const offsets = new SharedArrayBuffer(total * 8);
  const at = new Float64Array(offsets);
  if (options.arrivals === "poisson") {
    const seed = options.seed ?? 1;
    for (let i = 1; i < total; i++) at[i] = at[i - 1]! - (Math.log(1 - hashUniform(seed, i)) * 1000) / rate;
  } else for (let i = 0; i < total; i++) at[i] = (i * 1000) / rate;
  const latency = new Float64Array(total).fill(Number.NaN);
  const fromSend = new Float64Array(total).fill(Number.NaN);
  const lag = new Float64Array(total).fill(Number.NaN);
  const sockets: Socket[] = [];
  const idle: Conn[] = [];
  let finished = 0;
  let ok = 0;
  let errors = 0;
  // Start 20 ms from now so the worker is up before the first request is due.
  const t0 = performance.now() + 20;
  const dueOf = (i: number) => t0 + at[i]!;

  interface Conn {
    socket: Socket;
    /** Index of the request in flight, -1 if idle. */
    current: number;
    sentAt: number;
    buf: Buffer;
  }

  return new Promise((resolve) => {
    const done = () => {
      for (const s of sockets) s.destroy();
      const elapsed = (performance.now() - t0) / 1000;
      const sorted = (a: Float64Array) => a.filter((x) => !Number.isNaN(x)).sort();
      const lat = sorted(latency);
      const snd = sorted(fromSend);
      const lg = sorted(lag);
      resolve({
        sent: total,
        ok,
        errors,
        achievedRps: total / elapsed,
        p50: quantile(lat, 0.5),
        p90: quantile(lat, 0.9),
        p99: quantile(lat, 0.99),
        p999: quantile(lat, 0.999),
        max: lat[lat.length - 1] ?? Number.NaN,
        fromSendP50: quantile(snd, 0.5),
        fromSendP99: quantile(snd, 0.99),
        sendLagP50: quantile(lg, 0.5),
        sendLagP99: quantile(lg, 0.99),
        sendLagMax: lg[lg.length - 1] ?? Number.NaN,
        connections: sockets.length,
      });
    };
    const settle = (c: Conn, status: number) => {
      const now = performance.now();
      const i = c.current;
      c.current = -1;
      latency[i] = now - dueOf(i);
      fromSend[i] = now - c.sentAt;
      if (status === 200) ok++;
      else errors++;
      idle.push(c);
      if (++finished === total) done();
    };
    const open = (): Conn => {
      const socket = connect({ host: u.hostname, port, noDelay: true });
      const c: Conn = { socket, current: -1, sentAt: 0, buf: Buffer.alloc(0) };
      sockets.push(socket);
      socket.on("data", (chunk: Buffer) => {
        c.buf = c.buf.length === 0 ? chunk : Buffer.concat([c.buf, chunk]);
        // One response at a time per connection: status line, headers, Content-Length bytes.
        const end = c.buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const headers = c.buf.subarray(0, end).toString("latin1");
        const m = /\r\ncontent-length: *(\d+)/i.exec(headers);
        const need = end + 4 + (m ? Number(m[1]) : 0);
        if (c.buf.length < need) return;
        const status = Number(headers.slice(9, 12));
        c.buf = c.buf.subarray(need);
        if (c.current >= 0) settle(c, status);
      });
      socket.on("error", () => undefined);
      socket.on("close", () => {
        const k = idle.indexOf(c);
        if (k >= 0) idle.splice(k, 1);
        if (c.current >= 0) {
          const i = c.current;
          c.current = -1;
          latency[i] = performance.now() - dueOf(i);
          errors++;
          if (++finished === total) done();
        }
      });
      return c;
    };
    let next = 0;
    const fire = (upTo: number) => {
      for (; next <= upTo; next++) {
        const c = idle.pop() ?? open();
        c.current = next;
        c.sentAt = performance.now();
        lag[next] = c.sentAt - dueOf(next);
        c.socket.write(wire[next % wire.length]!);
      }
    };
    const pacer = new Worker(PACER, {
      eval: true,
      workerData: { t0: performance.timeOrigin + t0, total, offsets },
    });
    pacer.on("message", (upTo: number) => fire(upTo));
    pacer.on("error", (e) => {
      throw e;
    });
  });
}
