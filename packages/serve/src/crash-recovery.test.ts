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

/** Serve under load from 16 loops until 150 decisions are acknowledged, then kill -9; the acknowledged ids. */
async function killUnderLoad(logDir: string, durability: "fsync" | "interval"): Promise<string[]> {
  const first = await startChildServer(fx.bundleDir, logDir, durability);
  const l1 = load(first.url, 16);
  await waitFor(() => l1.acked.length >= 150, 20_000);
  first.child.kill("SIGKILL");
  expect((await first.exited).signal).toBe("SIGKILL");
  await l1.stop();
  expect(l1.acked.length).toBeGreaterThanOrEqual(150);
  return l1.acked;
}

describe("durability of the decisions log", () => {
  it("kill -9 under load, restart: every acknowledged decision is logged and the log parses strictly; SIGTERM under load drains and exits 0", async () => {
    const logDir = join(fx.dir, "crash-logs");
    const acked = await killUnderLoad(logDir, "fsync");
    // The restart repairs a torn tail (if the kill cut a write) and appends to a new file.
    const second = await startChildServer(fx.bundleDir, logDir);
    const l2 = load(second.url, 16);
    await waitFor(() => l2.acked.length >= 100, 20_000);
    second.child.kill("SIGTERM");
    const exit = await second.exited;
    await l2.stop();
    expect(exit.code).toBe(0);
    expect(l2.acked.length).toBeGreaterThanOrEqual(100);
    const ids = await loggedIds(logDir);
    expect([...acked, ...l2.acked].filter((id) => !ids.has(id))).toEqual([]);
    expect(readdirSync(logDir).length).toBeGreaterThanOrEqual(2);
  });

  it("durability interval: kill -9 under load loses no acknowledged decision (the writes are in the page cache), and the restart repairs the preallocated tail", async () => {
    const logDir = join(fx.dir, "crash-logs-interval");
    const acked = await killUnderLoad(logDir, "interval");
    const second = await startChildServer(fx.bundleDir, logDir, "interval");
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    const ids = await loggedIds(logDir);
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
  });
});
