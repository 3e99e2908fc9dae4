import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Decision, readDecisions } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { type CommitInfo, DecisionLog } from "./decision-log.js";
import { liveRecords } from "./test-helpers/live-records.js";

function decision(i: number): Decision {
  return {
    schema_version: 1,
    decision_id: `d${i}`,
    unit_id: `u${i}`,
    program: "p",
    surface: "api",
    policy_id: "pol",
    policy_version: "1",
    decision_time: "2026-12-06T00:00:00.000Z",
    eligible_actions: ["control", "offer"],
    action: i % 2 ? "offer" : "control",
    propensity: 0.5,
    action_probabilities: { control: 0.5, offer: 0.5 },
    design: "policy",
    salt: "s",
    features: { x: i, c: "a", b: true, m: null },
  };
}

const tmp = () => mkdtempSync(join(tmpdir(), "cia-log-"));

async function readAll(dir: string): Promise<Decision[]> {
  const out: Decision[] = [];
  for (const f of readdirSync(dir).sort())
    out.push(...(await readDecisions(join(dir, f), { mode: "strict" }).toArray()));
  return out;
}

/** The decision ids in the log's files, in file and line order. */
async function loggedIds(dir: string): Promise<string[]> {
  return (await readAll(dir)).map((r) => r.decision_id);
}

/** The ids of `decision(0)` .. `decision(n - 1)`. */
function firstIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `d${i}`);
}

describe("DecisionLog", () => {
  it("group-commits concurrent appends in order; every acknowledged record is on disk and parses strictly", async () => {
    const dir = tmp();
    const log = await DecisionLog.open({ dir });
    const acks = await Promise.all(
      Array.from({ length: 500 }, (_, i) => log.append([decision(i)]).then(() => i)),
    );
    expect(acks).toHaveLength(500);
    // Fewer syncs than records: appends that arrive during a commit share the next one.
    expect(log.stats.commits).toBeLessThan(500);
    // In the file before close (the page cache a kill -9 leaves), in order, ahead of the zeros.
    const live = liveRecords(log.currentFile);
    expect(live.map((r) => r.decision_id)).toEqual(acks.map((i) => `d${i}`));
    await log.close();
    expect(await loggedIds(dir)).toEqual(acks.map((i) => `d${i}`));
    await expect(log.append([decision(1)])).rejects.toMatchObject({ code: "log_failure" });
  });

  it("durability write: an append is in the file when it resolves, and later appends start new commits", async () => {
    const dir = tmp();
    const log = await DecisionLog.open({ dir, durability: "write" });
    const file = join(dir, "decisions-000001.jsonl");
    await log.append([decision(0)]);
    // Written synchronously (page cache): visible to a reader at once, before close or any sync.
    expect(readFileSync(file, "utf8")).toBe(`${JSON.stringify(decision(0))}\n`);
    for (let i = 1; i < 50; i++) await log.append([decision(i)]);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append([decision(50 + i)])));
    await log.flush();
    expect(log.stats.records).toBe(100);
    await log.close();
    expect(await loggedIds(dir)).toEqual(firstIds(100));
  });

  it("refuses a record that does not validate, writing nothing", async () => {
    const dir = tmp();
    const log = await DecisionLog.open({ dir });
    const bad = { ...decision(0), propensity: 0 };
    await expect(log.append([decision(1), bad])).rejects.toMatchObject({ code: "invalid_decision" });
    await log.close();
    expect(await readAll(dir)).toHaveLength(0);
  });

  it("rotates by size and by age, and never appends to an older file after a restart", async () => {
    const dir = tmp();
    let t = 0;
    const log = await DecisionLog.open({ dir, maxBytes: 2000, maxAgeMs: 1000, now: () => t });
    for (let i = 0; i < 20; i++) await log.append([decision(i)]);
    const bySize = readdirSync(dir).length;
    expect(bySize).toBeGreaterThan(2);
    const sizes = readdirSync(dir)
      .sort()
      .map((f) => readFileSync(join(dir, f), "utf8").length);
    t = 5000;
    await log.append([decision(100)]);
    // The old files are untouched; d100 went into a file of its own age.
    const after = readdirSync(dir).sort();
    expect(after.slice(0, sizes.length - 1).map((f) => readFileSync(join(dir, f), "utf8").length)).toEqual(
      sizes.slice(0, -1),
    );
    const last = liveRecords(join(dir, after[after.length - 1]!));
    expect(last.map((r) => r.decision_id)).toEqual(["d100"]);
    await log.close();
    const again = await DecisionLog.open({ dir });
    await again.append([decision(200)]);
    await again.close();
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(after.length);
    expect(
      (await readDecisions(join(dir, files[files.length - 1]!)).toArray()).map((r) => r.decision_id),
    ).toEqual(["d200"]);
    expect(await loggedIds(dir)).toEqual([...firstIds(20), "d100", "d200"]);
  });

  it("cuts a torn last line (a write cut by kill -9) at open, so the log parses in strict mode", async () => {
    const dir = tmp();
    const log = await DecisionLog.open({ dir });
    await log.append([decision(1), decision(2)]);
    await log.close();
    const file = join(dir, "decisions-000001.jsonl");
    appendFileSync(file, JSON.stringify(decision(3)).slice(0, 40));
    await expect(readDecisions(file, { mode: "strict" }).toArray()).rejects.toThrow();
    const reopened = await DecisionLog.open({ dir });
    expect(reopened.stats.repairedBytes).toBe(40);
    await reopened.close();
    expect(await loggedIds(dir)).toEqual(["d1", "d2"]);
    // A file that is one torn line only is emptied.
    writeFileSync(join(dir, "decisions-000009.jsonl"), '{"schema_version":1,"deci');
    const third = await DecisionLog.open({ dir });
    await third.close();
    expect(readFileSync(join(dir, "decisions-000009.jsonl"), "utf8")).toBe("");
  });

  it("fsync mode zero-fills ahead in whole chunks and cuts the zeros at close; listeners see every commit", async () => {
    const dir = tmp();
    const log = await DecisionLog.open({ dir, preallocateBytes: 4096 });
    const file = log.currentFile;
    expect(statSync(file).size).toBe(4096);
    expect(log.stats.extensions).toBe(1);
    const commits: CommitInfo[] = [];
    log.observeCommits((c) => commits.push(c));
    for (let i = 0; i < 40; i++) await log.append([decision(i)]);
    const bytes = log.stats.bytes;
    expect(bytes).toBeGreaterThan(3 * 4096);
    expect(statSync(file).size).toBe(Math.ceil(bytes / 4096) * 4096);
    expect(log.stats.extensions).toBe(Math.ceil(bytes / 4096));
    expect(commits.map((c) => c.records)).toEqual(Array.from({ length: 40 }, () => 1));
    expect(commits.reduce((s, c) => s + c.bytes, 0)).toBe(bytes);
    expect(commits.every((c) => c.syncMs >= 0 && c.writeMs >= 0)).toBe(true);
    expect(commits.filter((c) => c.extendMs > 0).length).toBeGreaterThanOrEqual(2);
    // the live file (records, then zeros) reads strictly as the records acknowledged so far
    expect(statSync(file).size).toBeGreaterThan(bytes);
    expect((await readDecisions(file, { mode: "strict" }).toArray()).map((r) => r.decision_id)).toEqual(
      firstIds(40),
    );
    await log.close();
    expect(statSync(file).size).toBe(bytes);
    expect(await loggedIds(dir)).toEqual(firstIds(40));
    // write mode and preallocateBytes 0: plain appends.
    for (const opts of [{ durability: "write" as const }, { preallocateBytes: 0 }]) {
      const plain = await DecisionLog.open({ dir: tmp(), ...opts });
      await plain.append([decision(1)]);
      expect(statSync(plain.currentFile).size).toBe(plain.stats.bytes);
      expect(plain.stats.extensions).toBe(0);
      await plain.close();
    }
  });

  it("after a crash of a preallocated file, cuts the torn line and the zeros, also past a hole a power cut left", async () => {
    const dir = tmp();
    const good = `${JSON.stringify(decision(1))}\n${JSON.stringify(decision(2))}\n`;
    const torn = JSON.stringify(decision(3)).slice(0, 50);
    // kill -9 during a write: records, a torn line, the zeros ahead.
    writeFileSync(
      join(dir, "decisions-000001.jsonl"),
      Buffer.concat([Buffer.from(good + torn), Buffer.alloc(5000)]),
    );
    const a = await DecisionLog.open({ dir, preallocateBytes: 4096 });
    expect(a.stats.repairedBytes).toBe(50);
    await a.close();
    expect(readFileSync(join(dir, "decisions-000001.jsonl"), "utf8")).toBe(good);
    // A power cut during a group's sync: its first page never reached the disk (zeros), a later
    // one did. Nothing from the first zero on was acknowledged.
    const later = `${JSON.stringify(decision(5))}\n`;
    writeFileSync(
      join(dir, "decisions-000009.jsonl"),
      Buffer.concat([Buffer.from(good), Buffer.alloc(4096), Buffer.from(later), Buffer.alloc(100)]),
    );
    const b = await DecisionLog.open({ dir });
    expect(b.stats.repairedBytes).toBe(0);
    await b.close();
    expect(readFileSync(join(dir, "decisions-000009.jsonl"), "utf8")).toBe(good);
    // All zeros (a crash during the zero-fill of a new file): emptied.
    writeFileSync(join(dir, "decisions-000019.jsonl"), Buffer.alloc(3 * 2 ** 20));
    const c = await DecisionLog.open({ dir });
    await c.close();
    expect(statSync(join(dir, "decisions-000019.jsonl")).size).toBe(0);
    expect(await loggedIds(dir)).toEqual(["d1", "d2", "d1", "d2"]);
  });

  it("syncOn loop: the appends of one turn share one synchronous fdatasync", async () => {
    const dir = tmp();
    const log = await DecisionLog.open({ dir, syncOn: "loop" });
    expect(log.settings.syncOn).toBe("loop");
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append([decision(i)])));
    expect(log.stats.commits).toBe(1);
    await log.append([decision(20)]);
    expect(log.stats.commits).toBe(2);
    await log.close();
    expect(await loggedIds(dir)).toEqual(firstIds(21));
  });

  it("syncOn pool: appends queued during a sync on the thread pool form the next group", async () => {
    const dir = tmp();
    const log = await DecisionLog.open({ dir, syncOn: "pool" });
    expect(log.settings).toEqual({
      durability: "fsync",
      syncIntervalMs: 10,
      syncOn: "pool",
      slowSyncMs: 3,
      slowSyncHoldMs: 1000,
      preallocateBytes: 8 * 2 ** 20,
    });
    // The first append starts a commit at once; the other 19 arrive while its sync is in flight.
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append([decision(i)])));
    expect(log.stats.commits).toBe(2);
    await log.close();
    expect(await loggedIds(dir)).toEqual(firstIds(20));
  });

  it("syncOn adaptive (the default): syncs on the loop while fast, on the pool after a slow one, back after a run of fast ones; never resolves before the sync", async () => {
    const dir = tmp();
    // An injected disk (no real fdatasync, whose time on a shared machine would make the test
    // flaky): `slow` makes each sync take 30 ms, blocking the thread it runs on as a real one does
    // on the loop. `events` records the order of syncs and acknowledgements.
    let slow = false;
    const events: string[] = [];
    const block = new Int32Array(new SharedArrayBuffer(4));
    const syncCalls = {
      loop: () => {
        events.push("loop sync");
        if (slow) Atomics.wait(block, 0, 0, 30);
        events.push("synced");
      },
      pool: async () => {
        events.push("pool sync");
        await new Promise((r) => (slow ? setTimeout(r, 30) : setImmediate(r)));
        events.push("synced");
      },
    };
    const log = await DecisionLog.open({ dir, syncCalls, slowSyncMs: 15, slowSyncHoldMs: 40 });
    expect(log.settings).toMatchObject({ syncOn: "adaptive", slowSyncMs: 15, slowSyncHoldMs: 40 });
    const commits: CommitInfo[] = [];
    log.observeCommits((c) => commits.push(c));
    const append = (i: number) => log.append([decision(i)]).then(() => events.push(`ack ${i}`));
    // Fast disk: one loop sync for the appends of a turn.
    await Promise.all([0, 1, 2].map(append));
    expect(events).toEqual(["loop sync", "synced", "ack 0", "ack 1", "ack 2"]);
    // A slow sync on the loop (it stalls the loop: unavoidable, it was already running) ...
    slow = true;
    await append(3);
    expect(commits.at(-1)).toMatchObject({ syncedOn: "loop", records: 1 });
    expect(commits.at(-1)!.syncMs).toBeGreaterThan(15);
    expect(log.stats.syncMoves).toBe(1);
    // ... moves the next syncs to the pool: the loop runs timers while the slow sync is in flight.
    events.length = 0;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    await append(4);
    clearInterval(ticker);
    expect(events).toEqual(["pool sync", "synced", "ack 4"]);
    expect(ticks).toBeGreaterThan(0);
    expect(commits.at(-1)).toMatchObject({ syncedOn: "pool" });
    // The disk is fast again: after the hold and 32 fast syncs in a row on the pool, back to the loop.
    slow = false;
    await new Promise((r) => setTimeout(r, 45));
    for (let i = 5; i < 5 + 32; i++) await append(i);
    expect(log.stats).toMatchObject({ syncMoves: 2, poolSyncs: 33 });
    events.length = 0;
    await append(40);
    expect(events).toEqual(["loop sync", "synced", "ack 40"]);
    await log.close();
    expect(await loggedIds(dir)).toEqual(
      [...Array.from({ length: 37 }, (_, i) => i), 40].map((i) => `d${i}`),
    );
  });

  it("durability interval: appends resolve before any sync; a background sync on the pool covers them within the interval; flush and close sync the rest", async () => {
    const dir = tmp();
    const synced: number[] = [];
    let release: (() => void) | null = null;
    let poolCalls = 0;
    // A sync that waits until the test releases it, so the test sees what is durable when.
    const syncCalls = {
      loop: () => {
        throw new Error("interval mode never syncs on the loop");
      },
      pool: () =>
        new Promise<void>((resolve) => {
          poolCalls++;
          release = resolve;
        }),
    };
    const log = await DecisionLog.open({ dir, durability: "interval", syncIntervalMs: 5, syncCalls });
    log.observeSyncs((s) => synced.push(s.records));
    expect(log.settings).toMatchObject({ durability: "interval", syncIntervalMs: 5 });
    expect(log.settings.preallocateBytes).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) await log.append([decision(i)]);
    // Acknowledged at once (written, in the page cache), before any sync ran.
    expect(log.stats).toMatchObject({ records: 20, intervalSyncs: 0, syncedRecords: 0 });
    expect(liveRecords(log.currentFile)).toHaveLength(20);
    const waitFor = async (cond: () => boolean) => {
      for (let t = 0; t < 400 && !cond(); t++) await new Promise((r) => setTimeout(r, 5));
    };
    await waitFor(() => poolCalls === 1);
    expect(poolCalls).toBe(1);
    // One sync in flight at a time: appends during it wait for the next tick, and resolve anyway.
    for (let i = 20; i < 30; i++) await log.append([decision(i)]);
    await new Promise((r) => setTimeout(r, 20));
    expect(poolCalls).toBe(1);
    release!();
    await waitFor(() => poolCalls === 2);
    expect(synced).toEqual([20]);
    expect(log.stats.syncedRecords).toBe(20);
    release!();
    await waitFor(() => synced.length === 2);
    expect(synced).toEqual([20, 10]);
    expect(log.stats).toMatchObject({ intervalSyncs: 2, syncedRecords: 30 });
    // Nothing new: the timer starts no sync.
    await new Promise((r) => setTimeout(r, 20));
    expect(poolCalls).toBe(2);
    // flush syncs what the next tick would have.
    await log.append([decision(30)]);
    const flushed = log.flush();
    await waitFor(() => poolCalls === 3);
    release!();
    await flushed;
    expect(log.stats.syncedRecords).toBe(31);
    await log.close();
    expect(await loggedIds(dir)).toEqual(firstIds(31));
  });

  it("durability interval: rotation waits for the background sync in flight; a failed sync fails the log", async () => {
    const dir = tmp();
    let fail = false;
    const syncCalls = {
      loop: () => undefined,
      pool: (fd: number) =>
        new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            if (fail) reject(new Error("EIO: simulated"));
            else {
              // The descriptor must still be open: a rotation closes it only after this sync.
              statSync(`/proc/self/fd/${fd}`);
              resolve();
            }
          }, 3),
        ),
    };
    const log = await DecisionLog.open({
      dir,
      durability: "interval",
      syncIntervalMs: 1,
      maxBytes: 2000,
      syncCalls,
    });
    for (let i = 0; i < 60; i++) {
      await log.append([decision(i)]);
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    await log.flush();
    expect(log.stats.files).toBeGreaterThan(3);
    expect(log.stats.syncedRecords).toBe(60);
    fail = true;
    await log.append([decision(60)]);
    await expect(log.flush()).rejects.toMatchObject({ code: "log_failure" });
    expect(log.healthy).toBe(false);
    await expect(log.append([decision(61)])).rejects.toMatchObject({ code: "log_failure" });
    await log.close();
    const ids = await loggedIds(dir);
    expect(ids).toEqual(firstIds(61));
  });

  it("refuses bad rotation limits", async () => {
    await expect(DecisionLog.open({ dir: tmp(), maxBytes: 0 })).rejects.toMatchObject({
      code: "invalid_option",
    });
    await expect(DecisionLog.open({ dir: tmp(), preallocateBytes: -1 })).rejects.toMatchObject({
      code: "invalid_option",
    });
    await expect(DecisionLog.open({ dir: tmp(), syncOn: "disk" as unknown as "pool" })).rejects.toMatchObject(
      { code: "invalid_option" },
    );
    await expect(
      DecisionLog.open({ dir: tmp(), durability: "disk" as unknown as "write" }),
    ).rejects.toMatchObject({ code: "invalid_option" });
    await expect(DecisionLog.open({ dir: tmp(), syncIntervalMs: 0 })).rejects.toMatchObject({
      code: "invalid_option",
    });
    await expect(DecisionLog.open({ dir: tmp(), slowSyncMs: -1 })).rejects.toMatchObject({
      code: "invalid_option",
    });
    await expect(DecisionLog.open({ dir: tmp(), slowSyncHoldMs: Number.NaN })).rejects.toMatchObject({
      code: "invalid_option",
    });
  });
});
