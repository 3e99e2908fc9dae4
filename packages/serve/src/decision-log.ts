import { type FileHandle, mkdir, open, readdir, stat, truncate } from "node:fs/promises";
import { writeSync } from "node:fs";
import { join } from "node:path";
import { CiaError } from "@cia/core";
import { type Decision, safeParseDecision } from "@cia/logging-schema";
import type { ServeErrorCode } from "./error-codes.js";

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
   * survives kill -9 and power loss. `write`: acknowledged after the write reached the OS (survives
   * kill -9 of the process, not a power cut).
   */
  durability?: "fsync" | "write" | undefined;
  /** Clock for rotation by age (ms). Default `Date.now`. */
  now?: (() => number) | undefined;
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
 * (a copy into the page cache, microseconds); only the fdatasync, which waits for the disk, runs
 * on libuv's thread pool, so the event loop never waits for the disk.
 *
 * Rotation: a new file `decisions-<seq>.jsonl` once the current one reaches `maxBytes`, before a
 * write into a file whose first record is `maxAgeMs` old, and at every open (a restart never appends to an older file). At open, a torn last
 * line of the newest file (a write cut by kill -9, which was never acknowledged) is truncated away,
 * so every file is whole lines of valid decisions.
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
  private readonly sync: boolean;
  private readonly now: () => number;
  private handle: FileHandle | null = null;
  private seq: number;
  private fileBytes = 0;
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
  private readonly counters: Omit<DecisionLogStats, "pending">;

  private constructor(dir: string, seq: number, options: DecisionLogOptions, repairedBytes: number) {
    this.dir = dir;
    this.seq = seq;
    this.maxBytes = options.maxBytes ?? 64 * 2 ** 20;
    this.maxAgeMs = options.maxAgeMs ?? 3_600_000;
    this.sync = (options.durability ?? "fsync") === "fsync";
    this.now = options.now ?? Date.now;
    this.counters = { records: 0, bytes: 0, commits: 0, files: 0, repairedBytes };
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
    return log;
  }

  /** The file being appended to. */
  get currentFile(): string {
    return join(this.dir, fileName(this.seq));
  }

  get stats(): DecisionLogStats {
    return { ...this.counters, pending: this.queue.length };
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

  /** Wait until everything queued so far is durable. */
  async flush(): Promise<void> {
    if (this.busy) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (this.failure !== null) throw logError("the decisions log failed", this.failure);
  }

  /** Flush, sync and close the current file; later appends reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => undefined);
    this.closed = true;
    const h = this.handle;
    this.handle = null;
    if (h) {
      if (this.failure === null) await h.sync().catch(() => undefined);
      await h.close();
    }
  }

  private startCommit(): void {
    // `busy` is set before the loop runs: in `write` mode the loop can finish synchronously.
    this.busy = true;
    void this.commitLoop();
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
          // A synchronous write: copying a group of a few kB into the page cache takes microseconds,
          // less than a round trip through libuv's thread pool (which also wakes a second thread
          // on a 2-core machine). Only the fdatasync, which waits for the disk, goes to the pool.
          this.writeAllSync(buf);
          if (this.sync) await this.handle!.datasync();
          this.fileBytes += buf.length;
          this.counters.bytes += buf.length;
          this.counters.records += lines.length;
          this.counters.commits++;
          for (const w of waiters) w.resolve();
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

  /** Mark the log failed and reject every waiter (this group's and those queued meanwhile). */
  private fail(e: unknown, waiters: Waiter[]): void {
    this.failure = e;
    const err = logError(`cannot write the decisions log ${this.currentFile}: ${(e as Error).message}`, e);
    for (const w of [...waiters, ...this.waiters]) w.reject(err);
    this.queue = [];
    this.waiters = [];
  }

  private writeAllSync(buf: Buffer): void {
    const fd = this.handle!.fd;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  }

  private async rotate(): Promise<void> {
    const old = this.handle;
    this.handle = null;
    if (old) {
      if (this.sync) await old.sync();
      await old.close();
    }
    this.seq++;
    // "wx": a file of this sequence number must not exist yet (two servers on one log directory).
    this.handle = await open(this.currentFile, "wx");
    if (this.sync) await syncDir(this.dir);
    this.fileBytes = 0;
    this.firstWriteAt = null;
    this.counters.files++;
  }
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

/** Cut everything after the last newline (a torn, never-acknowledged write); returns the bytes cut. */
async function repairTail(file: string): Promise<number> {
  const size = (await stat(file)).size;
  if (size === 0) return 0;
  const h = await open(file, "r");
  try {
    const chunk = 64 * 1024;
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const buf = Buffer.alloc(end - start);
      await h.read(buf, 0, buf.length, start);
      const nl = buf.lastIndexOf(0x0a);
      if (nl >= 0) {
        const keep = start + nl + 1;
        if (keep < size) await truncate(file, keep);
        return size - keep;
      }
      end = start;
    }
  } finally {
    await h.close();
  }
  await truncate(file, 0);
  return size;
}
