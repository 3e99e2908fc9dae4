import { describe, expect, it } from "vitest";
import { SYNC_PLACEMENT_DEFAULTS, SyncPlacement } from "./sync-placement.js";

describe("SyncPlacement", () => {
  it("moves to the pool on one slow loop sync and back after the hold and a run of fast pool syncs", () => {
    const p = new SyncPlacement({ slowMs: 3, holdMs: 100, fastRun: 4 });
    p.observe(true, 2.9, 0);
    expect(p.onLoop).toBe(true);
    p.observe(true, 3.1, 10);
    expect([p.onLoop, p.moves]).toEqual([false, 1]);
    // Fast syncs, but the hold is not over: stays on the pool.
    for (let t = 20; t < 60; t += 10) p.observe(false, 1, t);
    expect(p.onLoop).toBe(false);
    // A slow one on the pool restarts the run of fast ones.
    p.observe(false, 5, 120);
    for (let t = 130; t < 160; t += 10) p.observe(false, 1, t);
    expect(p.onLoop).toBe(false);
    p.observe(false, 1, 160);
    expect([p.onLoop, p.moves]).toEqual([true, 2]);
  });

  it("has defaults: 3 ms, a 1 s hold, 32 fast syncs", () => {
    expect(SYNC_PLACEMENT_DEFAULTS).toEqual({ slowMs: 3, holdMs: 1000, fastRun: 32 });
  });
});
