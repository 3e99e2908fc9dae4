import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readDecisions } from "@cia/logging-schema";
import { beforeAll, describe, expect, it } from "vitest";
import { startChildServer } from "./test-helpers/child-server.js";
import { type ServingFixture, requestFeatures, servingFixture } from "./test-helpers/serving-fixture.js";

let fx: ServingFixture;
beforeAll(async () => {
  fx = await servingFixture({ units: 400, deploy: { epsilon: 0.1 } });
});

/** Post single decide requests from `workers` concurrent loops until `stop()`; collect the acknowledged ids. */
function load(url: string, workers: number) {
  const acked: string[] = [];
  let failed = 0;
  let running = true;
  let next = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const i = next++ % fx.units.n;
      try {
        const r = await fetch(`${url}/decide`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            unit_id: `${fx.units.unitIds[i]}-${next}`,
            features: requestFeatures(fx.units, i),
          }),
        });
        if (r.status === 200) acked.push(((await r.json()) as { decision_id: string }).decision_id);
        else failed++;
      } catch {
        failed++;
        if (!running) break;
        await new Promise((res) => setTimeout(res, 5));
      }
    }
  });
  return {
    acked,
    get failed() {
      return failed;
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function loggedIds(dir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const f of readdirSync(dir).sort())
    for (const d of await readDecisions(join(dir, f), { mode: "strict" }).toArray()) ids.add(d.decision_id);
  return ids;
}

const waitFor = async (cond: () => boolean, ms: number) => {
  const t0 = Date.now();
  while (!cond() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 10));
};

describe("durability of the decisions log", () => {
  it("kill -9 under load, restart: every acknowledged decision is in the log, which parses in strict mode", async () => {
    const logDir = join(fx.dir, "crash-logs");
    const t0 = Date.now();
    const first = await startChildServer(fx.bundleDir, logDir);
    console.log("started", Date.now() - t0);
    const l = load(first.url, 16);
    await waitFor(() => l.acked.length >= 300, 20_000);
    console.log("acked", l.acked.length, Date.now() - t0);
    first.child.kill("SIGKILL");
    const exit = await first.exited;
    await l.stop();
    expect(exit.signal).toBe("SIGKILL");
    const acked = [...l.acked];
    expect(acked.length).toBeGreaterThanOrEqual(300);
    // The restart repairs a torn tail (if the kill cut a write) and starts a new file.
    const second = await startChildServer(fx.bundleDir, logDir);
    const r = await fetch(`${second.url}/decide`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ unit_id: "after-restart", features: requestFeatures(fx.units, 0) }),
    });
    expect(r.status).toBe(200);
    const after = ((await r.json()) as { decision_id: string }).decision_id;
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    const ids = await loggedIds(logDir);
    const missing = acked.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(ids.has(after)).toBe(true);
  });

  it("SIGTERM under load drains in-flight requests, flushes the log and exits 0", async () => {
    const logDir = join(fx.dir, "term-logs");
    const s = await startChildServer(fx.bundleDir, logDir);
    const l = load(s.url, 16);
    await waitFor(() => l.acked.length >= 200, 20_000);
    s.child.kill("SIGTERM");
    const exit = await s.exited;
    await l.stop();
    expect(exit.code).toBe(0);
    const ids = await loggedIds(logDir);
    expect(l.acked.filter((id) => !ids.has(id))).toEqual([]);
    // Draining: what was accepted was answered; only requests after the close could fail.
    expect(ids.size).toBeGreaterThanOrEqual(l.acked.length);
  });
});
