import { type FileHandle, mkdir, open, readdir, stat, truncate } from "node:fs/promises";
import { fdatasync, fdatasyncSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CiaError } from "@cia/core";
import { type Decision, safeParseDecision } from "@cia/logging-schema";
import type { ServeErrorCode } from "./error-codes.js";
import { SYNC_PLACEMENT_DEFAULTS, SyncPlacement, type SyncPlacementOptions } from "./sync-placement.js";

/** Options of {@link DecisionLog.open}. */
export interface DecisionLogOptions {
  /** Directory of the log files (`decisions-000001.jsonl`, ...), created if absent. */
  dir: string;
  /** Rotate to a new file once the current one holds this many bytes. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** Rotate to a new file once the current one is this old (ms). Default 1 hour. */
  maxAgeMs?: number | undefined;
  /**
   * `fsync` (default): a group is acknowledged after write + fdatasync, so an acknowledged decision
   * survives kill -9 and power loss. `interval`: acknowledged after the write reached the OS, and
   * the file is fdatasync'ed on libuv's thread pool every `syncIntervalMs` while it has unsynced
   * records (off every request's path): an acknowledged decision survives kill -9 of the process
   * always, and a power cut or kernel crash loses at most the decisions of the last interval and
   * the sync in flight (what Redis `appendfsync everysec` and PostgreSQL `synchronous_commit = off`
   * trade). `write`: acknowledged after the write reached the OS and never fdatasync'ed, left to
   * the kernel's writeback (survives kill -9 of the process, not a power cut).
   */
  durability?: "fsync" | "interval" | "write" | undefined;
  /**
   * `interval` mode: the longest time (ms) an acknowledged record stays only in the page cache
   * before an fdatasync of it starts. Default 10.
   */
  syncIntervalMs?: number | undefined;
  /**
   * Zero-fill each file this many bytes ahead of the last record (`fsync` and `interval` modes;
   * 0: plain appends). Default 8 MiB. An fdatasync after an append must also commit the file's new size
   * and block allocation through the filesystem journal, which is shared with every other writer
   * of the disk; overwriting zeros already on disk changes no metadata, so the sync only writes the
   * data and flushes the device. Costs one zero-fill (about 10 ms for 8 MiB here) per that many
   * bytes logged; a file is cut back to its records when it is rotated or closed, and after a crash
   * at the next open.
   */
  preallocateBytes?: number | undefined;
  /**
   * Where a group's fdatasync runs (`fsync` mode). `loop`: synchronously on the event loop, after
   * the turn that queued the group, which blocks the loop for the sync (p50 0.16 ms, p99 about
   * 1 ms at 1,000 decisions/s here) but saves the two cross-thread wake-ups of each commit (to a
   * pool thread and back), each of which waits for a core on a busy machine. `pool`: on libuv's
   * thread pool, so the event loop goes on parsing and deciding while the disk syncs. `adaptive`
   * (default): on the loop while syncs are fast, on the pool while the disk has a slow spell
   * ({@link SyncPlacement}: one loop sync slower than `slowSyncMs` moves them for at least
   * `slowSyncHoldMs`), since a slow sync on the loop stalls every request behind it (in the serve
   * bench of 2026-12-07, `loop` lost 4-28 ms of request p99 in the runs whose disk had slow
   * spells, and won the quiet ones: 4.55-5.09 ms against 7.7-7.8 ms with `pool`). The guarantee
   * is the same in all three: no append resolves before its group is fdatasync'ed.
   */
  syncOn?: "adaptive" | "pool" | "loop" | undefined;
  /** `adaptive`: a sync on the loop slower than this (ms) moves the syncs to the pool. Default 3. */
  slowSyncMs?: number | undefined;
  /** `adaptive`: least time the syncs stay on the pool after a slow one (ms). Default 1000. */
  slowSyncHoldMs?: number | undefined;
  /**
   * Replace the fdatasync calls (tests: a disk with slow spells). `loop` runs on the event loop
   * and must block until the data is durable; `pool` must resolve only then. Default
   * `fs.fdatasyncSync` and `fs.fdatasync`.
   */
  syncCalls?: { loop: (fd: number) => void; pool: (fd: number) => Promise<void> } | undefined;
  /** Clock for rotation by age (ms). Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** One group commit, as a {@link DecisionLog.observeCommits} listener sees it. */
export interface CommitInfo {
  records: number;
  bytes: number;
  /** Time of the synchronous write, ms. */
  writeMs: number;
  /** Time of the fdatasync (0 in `write` mode), ms; on the pool, the round trip from the loop. */
  syncMs: number;
  /** Where the fdatasync ran (`null` in `write` mode). */
  syncedOn: "loop" | "pool" | null;
  /** Time spent zero-filling ahead before this group (0 almost always), ms. */
  extendMs: number;
}

/** One background fdatasync of the `interval` mode, as a {@link DecisionLog.observeSyncs} listener sees it. */
export interface IntervalSyncInfo {
  /** Records the sync made durable (those written since the previous one). */
  records: number;
  /** The sync's round trip through the thread pool, ms. */
  syncMs: number;
  /** Age of the oldest record it made durable when the sync finished, ms: the power-cut exposure. */
  lagMs: number;
}

/** The effective durability settings of a {@link DecisionLog} (its options with defaults applied). */
export interface DecisionLogSettings {
  durability: "fsync" | "interval" | "write";
  /** `interval` mode: the sync period (ms; the option, unused in the other modes). */
  syncIntervalMs: number;
  /** Where the fdatasync runs (`fsync` mode; `write` mode reports the option, unused). */
  syncOn: "adaptive" | "pool" | "loop";
  /** `adaptive`: the loop sync time (ms) that moves the syncs to the pool, and the least stay there. */
  slowSyncMs: number;
  slowSyncHoldMs: number;
  /** Zero-fill ahead of the records, bytes (0 in `write` mode and for plain appends). */
  preallocateBytes: number;
}

/** Counters of a {@link DecisionLog}. */
export interface DecisionLogStats {
  records: number;
  bytes: number;
  /** Group commits (one write + one fdatasync each). */
  commits: number;
  /** Files opened by this process (rotations + 1). */
  files: number;
  /** Bytes cut from a torn last line when the log was opened (a write the kill interrupted, never acknowledged). */
  repairedBytes: number;
  /** Records queued for the next commit. */
  pending: number;
  /** Zero-fills ahead of the records (see {@link DecisionLogOptions.preallocateBytes}). */
  extensions: number;
  /** Group commits whose fdatasync ran on the thread pool. */
  poolSyncs: number;
  /** `adaptive`: moves of the syncs between the loop and the pool. */
  syncMoves: number;
  /** `interval` mode: background fdatasyncs so far. */
  intervalSyncs: number;
  /**
   * Records known to be on disk: every record in `fsync` mode; in `interval` mode those covered by
   * a finished sync (or a rotation's or close's); 0 in `write` mode.
   */
  syncedRecords: number;
}

const FILE_RE = /^decisions-(\d{6,})\.jsonl$/;

function logError(message: string, cause?: unknown) {
  return new CiaError<ServeErrorCode>(
    "log_failure",
    message,
    {},
    cause === undefined ? undefined : { cause },
  );
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The durable decisions log: JSONL in the @cia/logging-schema decision format, appended by group
 * commit. `append` validates each record (`safeParseDecision`, so the log always parses in strict
 * mode), queues it, and resolves once the group holding it has been written and, by default,
 * fdatasync'ed: a caller that awaits `append` before answering never acknowledges a decision that
 * is not on disk. One commit is in flight at a time; records that arrive meanwhile form the next
 * group, so the sync cost is shared under load. A group is written with one synchronous `write`
 * (a copy into the page cache, microseconds), then fdatasync'ed: synchronously on the event loop
 * once the turn that queued it is over (`syncOn: "loop"`: every append of that turn shares the
 * sync, and no thread hand-off waits for a core), on libuv's thread pool (`syncOn: "pool"`: the
 * loop goes on deciding while the disk syncs), or, by default, on the loop while syncs are fast
 * and on the pool while the disk has a slow spell (`syncOn: "adaptive"`, {@link SyncPlacement}).
 * In `interval` mode a group's appends resolve once it is written, and a timer fdatasyncs the file
 * on the thread pool every `syncIntervalMs` while it has unsynced records, so no request waits for
 * the disk; `write` mode never fdatasyncs (the kernel writes the page cache back on its own).
 *
 * In `fsync` and `interval` modes the current file is zero-filled ahead of its records (`preallocateBytes`), so a
 * commit overwrites zeros and its fdatasync has no size or allocation change to put through the
 * filesystem journal. While the server runs, the current file therefore ends in zeros; a rotated
 * or closed file is cut back to its records.
 *
 * Rotation: a new file `decisions-<seq>.jsonl` once the current one reaches `maxBytes`, before a
 * write into a file whose first record is `maxAgeMs` old, and at every open (a restart never
 * appends to an older file). At open, the newest file's tail after a crash (a torn line of a write
 * cut by kill -9 or a power cut, which was never acknowledged, and the zeros ahead) is truncated
 * away, so every file is whole lines of valid decisions.
 *
 * @example
 * const log = await DecisionLog.open({ dir: "logs" });
 * await log.append([decision]); // on disk now
 * await log.close();
 */
export class DecisionLog {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly mode: "fsync" | "interval" | "write";
  /** `fsync` mode: every group is fdatasync'ed before its appends resolve. */
  private readonly sync: boolean;
  private readonly chunk: number;
  private readonly syncIntervalMs: number;
  private readonly syncListeners: ((s: IntervalSyncInfo) => void)[] = [];
  /** `interval` mode: the timer of the background syncs. */
  private timer: NodeJS.Timeout | null = null;
  /** `interval` mode: the background sync in flight. */
  private backgroundSync: Promise<void> | null = null;
  /** `interval` mode: `counters.records` when the last background sync started. */
  private syncRequested = 0;
  /** `interval` mode: when the oldest record not covered by a started sync was written (performance.now). */
  private unsyncedSince: number | null = null;
  private readonly syncOn: "adaptive" | "pool" | "loop";
  /** Where the next sync runs (fixed for `loop` and `pool`). */
  private readonly placement: SyncPlacement | null;
  private readonly placementOptions: SyncPlacementOptions;
  private readonly syncCalls: NonNullable<DecisionLogOptions["syncCalls"]>;
  private readonly commitListeners: ((c: CommitInfo) => void)[] = [];
  private readonly now: () => number;
  private handle: FileHandle | null = null;
  private seq: number;
  private fileBytes = 0;
  /** Bytes of the current file on disk (records, then zeros): `fileBytes` when not preallocating. */
  private allocated = 0;
  /** When the current file got its first record (null while empty): rotation by age counts from it. */
  private firstWriteAt: number | null = null;
  private queue: string[] = [];
  private waiters: Waiter[] = [];
  /** A commit loop is running (one at a time). */
  private busy = false;
  /** Resolved when the running commit loop ends (what {@link flush} waits for). */
  private drained: (() => void)[] = [];
  private closed = false;
  private failure: unknown = null;
  // syncMoves is the placement's own count, read in `stats`.
  private readonly counters: Omit<DecisionLogStats, "pending" | "syncMoves">;

  private constructor(dir: string, seq: number, options: DecisionLogOptions, repairedBytes: number) {
    this.dir = dir;
    this.seq = seq;
    this.maxBytes = options.maxBytes ?? 64 * 2 ** 20;
    this.maxAgeMs = options.maxAgeMs ?? 3_600_000;
    this.mode = options.durability ?? "fsync";
    this.sync = this.mode === "fsync";
    this.chunk = this.mode === "write" ? 0 : (options.preallocateBytes ?? 8 * 2 ** 20);
    this.syncIntervalMs = options.syncIntervalMs ?? 10;
    this.syncOn = options.syncOn ?? "adaptive";
    this.placementOptions = {
      ...SYNC_PLACEMENT_DEFAULTS,
      ...(options.slowSyncMs === undefined ? {} : { slowMs: options.slowSyncMs }),
      ...(options.slowSyncHoldMs === undefined ? {} : { holdMs: options.slowSyncHoldMs }),
    };
    this.placement = this.syncOn === "adaptive" ? new SyncPlacement(this.placementOptions) : null;
    this.syncCalls = options.syncCalls ?? { loop: fdatasyncSync, pool: fdatasyncOnPool };
    this.now = options.now ?? Date.now;
    this.counters = {
      records: 0,
      bytes: 0,
      commits: 0,
      files: 0,
      repairedBytes,
      extensions: 0,
      poolSyncs: 0,
      intervalSyncs: 0,
      syncedRecords: 0,
    };
  }

  /** Open (or create) the log in `options.dir`: repair the newest file's tail, start a new file. */
  static async open(options: DecisionLogOptions): Promise<DecisionLog> {
    const { dir } = options;
    for (const [name, v] of [
      ["maxBytes", options.maxBytes],
      ["maxAgeMs", options.maxAgeMs],
    ] as const) {
      if (v !== undefined && !(v > 0))
        throw new CiaError<ServeErrorCode>("invalid_option", `${name} must be > 0, got ${v}`);
    }
    if (options.durability !== undefined && !["fsync", "interval", "write"].includes(options.durability))
      throw new CiaError<ServeErrorCode>(
        "invalid_option",
        `durability must be "fsync", "interval" or "write", got ${String(options.durability)}`,
      );
    const every = options.syncIntervalMs;
    if (every !== undefined && !(Number.isFinite(every) && every > 0))
      throw new CiaError<ServeErrorCode>(
        "invalid_option",
        `syncIntervalMs must be a number > 0, got ${every}`,
      );
    if (options.syncOn !== undefined && !["adaptive", "loop", "pool"].includes(options.syncOn))
      throw new CiaError<ServeErrorCode>(
        "invalid_option",
        `syncOn must be "adaptive", "loop" or "pool", got ${String(options.syncOn)}`,
      );
    for (const [name, v] of [
      ["slowSyncMs", options.slowSyncMs],
      ["slowSyncHoldMs", options.slowSyncHoldMs],
    ] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v >= 0))
        throw new CiaError<ServeErrorCode>("invalid_option", `${name} must be a number >= 0, got ${v}`);
    }
    const pre = options.preallocateBytes;
    if (pre !== undefined && !(Number.isSafeInteger(pre) && pre >= 0))
      throw new CiaError<ServeErrorCode>(
        "invalid_option",
        `preallocateBytes must be an integer >= 0, got ${pre}`,
      );
    await mkdir(dir, { recursive: true });
    const seqs = (await readdir(dir))
      .map((f) => FILE_RE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let repaired = 0;
    const last = seqs[seqs.length - 1];
    if (last !== undefined) repaired = await repairTail(join(dir, fileName(last)));
    const log = new DecisionLog(dir, last ?? 0, options, repaired);
    await log.rotate();
    if (log.mode === "interval") {
      log.timer = setInterval(() => log.syncInBackground(), log.syncIntervalMs);
      // The timer alone must not keep a process alive whose server has stopped.
      log.timer.unref();
    }
    return log;
  }

  /** The file being appended to. */
  get currentFile(): string {
    return join(this.dir, fileName(this.seq));
  }

  /** The durability settings in effect (defaults applied), e.g. for a startup summary. */
  get settings(): DecisionLogSettings {
    return {
      durability: this.mode,
      syncIntervalMs: this.syncIntervalMs,
      syncOn: this.syncOn,
      slowSyncMs: this.placementOptions.slowMs,
      slowSyncHoldMs: this.placementOptions.holdMs,
      preallocateBytes: this.chunk,
    };
  }

  get stats(): DecisionLogStats {
    return { ...this.counters, pending: this.queue.length, syncMoves: this.placement?.moves ?? 0 };
  }

  /** False once a write or sync failed (every later append rejects) or the log is closed. */
  get healthy(): boolean {
    return this.failure === null && !this.closed;
  }

  /**
   * Validate and queue `records`; resolves when they are durable (see the class comment). Rejects
   * with `invalid_decision` (nothing queued) if a record does not validate, and with `log_failure`
   * if the log cannot be written.
   */
  append(records: readonly Decision[]): Promise<void> {
    if (this.closed) return Promise.reject(logError("the decisions log is closed"));
    if (this.failure !== null)
      return Promise.reject(logError("the decisions log failed earlier", this.failure));
    const lines: string[] = [];
    for (const r of records) {
      const parsed = safeParseDecision(r);
      if (!parsed.success)
        return Promise.reject(
          new CiaError<ServeErrorCode>("invalid_decision", `decision ${r.decision_id} does not validate`, {
            issues: parsed.issues,
          }),
        );
      lines.push(`${JSON.stringify(r)}\n`);
    }
    return new Promise<void>((resolve, reject) => {
      for (const l of lines) this.queue.push(l);
      this.waiters.push({ resolve, reject });
      if (!this.busy) this.startCommit();
    });
  }

  /**
   * Call `listener` after every group commit (after its waiters were resolved), e.g. for metrics
   * of the group size and the sync time.
   */
  observeCommits(listener: (commit: CommitInfo) => void): void {
    this.commitListeners.push(listener);
  }

  /**
   * Call `listener` after every background sync of the `interval` mode, e.g. for metrics of the
   * sync time and of how long records waited for it.
   */
  observeSyncs(listener: (sync: IntervalSyncInfo) => void): void {
    this.syncListeners.push(listener);
  }

  /**
   * Wait until everything queued so far is written and, in the `fsync` and `interval` modes,
   * fdatasync'ed (in `interval` mode this runs a sync now rather than at the next tick).
   */
  async flush(): Promise<void> {
    if (this.busy) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (this.mode === "interval") {
      await this.settleBackgroundSync();
      if (this.failure === null && this.counters.records > this.syncRequested) {
        this.syncInBackground();
        await this.settleBackgroundSync();
      }
    }
    if (this.failure !== null) throw logError("the decisions log failed", this.failure);
  }

  /** Flush, sync and close the current file; later appends reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch(() => undefined);
    this.closed = true;
    await this.settleBackgroundSync();
    const h = this.handle;
    this.handle = null;
    if (h) {
      if (this.failure === null) await this.closeFile(h).catch(() => h.close());
      else await h.close();
    }
  }

  private startCommit(): void {
    // `busy` is set before the loop runs: in `write` mode the loop can finish synchronously.
    this.busy = true;
    // A sync on the loop blocks: start it after this turn, so every append of the turn (the
    // requests one batch decided) shares it.
    if (this.sync && this.nextSyncOnLoop()) setImmediate(() => void this.commitLoop());
    else void this.commitLoop();
  }

  /** Whether the next group's fdatasync runs on the event loop. */
  private nextSyncOnLoop(): boolean {
    return this.placement ? this.placement.onLoop : this.syncOn === "loop";
  }

  private async commitLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const lines = this.queue;
        const waiters = this.waiters;
        this.queue = [];
        this.waiters = [];
        try {
          const t = this.now();
          if (this.firstWriteAt !== null && t - this.firstWriteAt >= this.maxAgeMs) await this.rotate();
          this.firstWriteAt ??= t;
          const buf = Buffer.from(lines.length === 1 ? lines[0]! : lines.join(""), "utf8");
          const t0 = performance.now();
          if (this.chunk > 0 && this.fileBytes + buf.length > this.allocated)
            await this.extend(this.fileBytes + buf.length);
          const t1 = performance.now();
          // A synchronous write: copying a group of a few kB into the page cache takes microseconds,
          // less than a round trip through libuv's thread pool (which also wakes a second thread
          // on a 2-core machine). Only the fdatasync, which waits for the disk, may go to the pool.
          this.writeAllSync(buf, this.fileBytes);
          const t2 = performance.now();
          this.unsyncedSince ??= t2;
          const onLoop = this.sync && this.nextSyncOnLoop();
          if (this.sync) {
            if (onLoop) this.syncCalls.loop(this.handle!.fd);
            else {
              this.counters.poolSyncs++;
              await this.syncCalls.pool(this.handle!.fd);
            }
          }
          const t3 = performance.now();
          if (this.sync) this.placement?.observe(onLoop, t3 - t2, t3);
          this.fileBytes += buf.length;
          if (this.allocated < this.fileBytes) this.allocated = this.fileBytes;
          this.counters.bytes += buf.length;
          this.counters.records += lines.length;
          this.counters.commits++;
          if (this.sync) this.counters.syncedRecords = this.counters.records;
          for (const w of waiters) w.resolve();
          if (this.commitListeners.length > 0) {
            const info: CommitInfo = {
              records: lines.length,
              bytes: buf.length,
              writeMs: t2 - t1,
              syncMs: this.sync ? t3 - t2 : 0,
              syncedOn: this.sync ? (onLoop ? "loop" : "pool") : null,
              extendMs: t1 - t0,
            };
            for (const l of this.commitListeners) l(info);
          }
        } catch (e) {
          this.fail(e, waiters);
          return;
        }
        if (this.fileBytes >= this.maxBytes) await this.rotate();
      }
    } catch (e) {
      this.fail(e, []);
    } finally {
      this.busy = false;
      const drained = this.drained;
      this.drained = [];
      for (const d of drained) d();
    }
  }

  /**
   * `interval` mode: start an fdatasync of the current file on the thread pool if records were
   * written since the last one started and none is in flight (the timer's tick). A failed sync
   * fails the log: later appends reject, and /health reports it.
   */
  private syncInBackground(): void {
    if (this.backgroundSync !== null || this.handle === null || this.failure !== null) return;
    const upTo = this.counters.records;
    if (upTo === this.syncRequested) return;
    const since = this.unsyncedSince ?? performance.now();
    this.syncRequested = upTo;
    this.unsyncedSince = null;
    const t0 = performance.now();
    this.backgroundSync = this.syncCalls.pool(this.handle.fd).then(
      () => {
        const t1 = performance.now();
        const records = upTo - this.counters.syncedRecords;
        this.counters.syncedRecords = Math.max(this.counters.syncedRecords, upTo);
        this.counters.intervalSyncs++;
        this.backgroundSync = null;
        const info: IntervalSyncInfo = { records, syncMs: t1 - t0, lagMs: t1 - since };
        for (const l of this.syncListeners) l(info);
      },
      (e) => {
        this.backgroundSync = null;
        this.fail(e, []);
      },
    );
  }

  /** Wait for the background sync in flight, if any (before its file is closed). */
  private async settleBackgroundSync(): Promise<void> {
    while (this.backgroundSync !== null) await this.backgroundSync;
  }

  /** Mark the log failed and reject every waiter (this group's and those queued meanwhile). */
  private fail(e: unknown, waiters: Waiter[]): void {
    this.failure = e;
    const err = logError(`cannot write the decisions log ${this.currentFile}: ${(e as Error).message}`, e);
    for (const w of [...waiters, ...this.waiters]) w.reject(err);
    this.queue = [];
    this.waiters = [];
  }

  /** Write `buf` at `position` of the current file (positional: the file may hold zeros past the records). */
  private writeAllSync(buf: Buffer, position: number): void {
    const fd = this.handle!.fd;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, position + off);
  }

  /**
   * Zero-fill the current file from its end to at least `needed` bytes, in whole `chunk`s, and
   * make that durable (the one journal commit per chunk). The write runs on the thread pool.
   */
  private async extend(needed: number): Promise<void> {
    const h = this.handle!;
    // Whole chunks, but no zeros past the rotation size (they would be cut at the rotation).
    const target = Math.max(needed, Math.min(Math.ceil(needed / this.chunk) * this.chunk, this.maxBytes));
    const zeros = Buffer.alloc(Math.min(this.chunk, 2 ** 20));
    let pos = this.allocated;
    while (pos < target) {
      const n = Math.min(zeros.length, target - pos);
      const { bytesWritten } = await h.write(zeros, 0, n, pos);
      pos += bytesWritten;
    }
    await h.datasync();
    this.allocated = target;
    this.counters.extensions++;
  }

  /** Cut the zeros after the records, make the file durable (not in `write` mode) and close it. */
  private async closeFile(h: FileHandle): Promise<void> {
    if (this.allocated > this.fileBytes) await h.truncate(this.fileBytes);
    if (this.mode !== "write") {
      await h.sync();
      this.counters.syncedRecords = this.counters.records;
      this.syncRequested = this.counters.records;
      this.unsyncedSince = null;
    }
    await h.close();
  }

  private async rotate(): Promise<void> {
    // A background sync holds the current file's descriptor: let it finish before the close.
    await this.settleBackgroundSync();
    const old = this.handle;
    this.handle = null;
    if (old) await this.closeFile(old);
    this.seq++;
    // "wx": a file of this sequence number must not exist yet (two servers on one log directory).
    this.handle = await open(this.currentFile, "wx");
    this.fileBytes = 0;
    this.allocated = 0;
    this.firstWriteAt = null;
    this.counters.files++;
    // Zero-fill ahead now, at the rotation (or the open), rather than in the first group's commit.
    if (this.chunk > 0) await this.extend(1);
    if (this.mode !== "write") await syncDir(this.dir);
  }
}

/** fdatasync on libuv's thread pool. */
function fdatasyncOnPool(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

function fileName(seq: number): string {
  return `decisions-${String(seq).padStart(6, "0")}.jsonl`;
}

/** Make the new file's directory entry durable too. */
async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the file's own fdatasync still holds its data.
  } finally {
    await h.close();
  }
}

/**
 * Cut a crash's leftovers from the end of a log file; returns the bytes of torn records cut. The
 * records end at the first NUL byte (JSON text has none, and a preallocated file holds zeros after
 * its records); everything from the last newline before it on is cut: the torn tail of a write the
 * crash interrupted (never acknowledged) and the zeros. Scanning forward for the first NUL, not
 * backward, also stops before a torn group whose later pages reached the disk and earlier ones did
 * not (a power cut), since every group before it was synced whole.
 */
async function repairTail(file: string): Promise<number> {
  const size = (await stat(file)).size;
  if (size === 0) return 0;
  const h = await open(file, "r");
  let dataEnd = size;
  let keep = 0;
  try {
    const buf = Buffer.alloc(Math.min(size, 2 ** 20));
    for (let pos = 0; pos < size; ) {
      const { bytesRead } = await h.read(buf, 0, Math.min(buf.length, size - pos), pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      const nul = chunk.indexOf(0);
      const nl = chunk.lastIndexOf(0x0a, nul < 0 ? bytesRead - 1 : nul);
      if (nl >= 0) keep = pos + nl + 1;
      if (nul >= 0) {
        dataEnd = pos + nul;
        break;
      }
      pos += bytesRead;
    }
  } finally {
    await h.close();
  }
  if (keep < size) await truncate(file, keep);
  return dataEnd - keep;
}
