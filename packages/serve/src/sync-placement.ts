/** Settings of {@link SyncPlacement}. */
export interface SyncPlacementOptions {
  /**
   * A sync on the event loop slower than this (ms) moves the syncs to the thread pool; they come
   * back once `fastRun` syncs in a row on the pool took at most this long (round trip).
   */
  slowMs: number;
  /** Least time on the pool after a move (ms). */
  holdMs: number;
  /** Consecutive fast syncs on the pool before the syncs return to the loop. */
  fastRun: number;
}

/** Defaults of {@link SyncPlacementOptions}. */
export const SYNC_PLACEMENT_DEFAULTS: SyncPlacementOptions = { slowMs: 3, holdMs: 1000, fastRun: 32 };

/**
 * Where the decisions log's next fdatasync runs in the `adaptive` mode: on the event loop while
 * the disk syncs fast (no thread hand-off, which on a busy 2-core machine costs a wait for a core
 * each way), on libuv's thread pool while it has a slow spell (a sync on the loop stalls every
 * request for its whole duration; on the pool the loop goes on parsing and deciding). A sync
 * cannot be moved once it runs, so the move follows the first slow one: one slow sync on the
 * loop sends the syncs to the pool for at least `holdMs`, and `fastRun` fast ones in a row there
 * bring them back. Where a sync runs never changes what it guarantees: each group is fdatasync'ed
 * before its appends resolve, on either side.
 *
 * @example
 * const place = new SyncPlacement(SYNC_PLACEMENT_DEFAULTS);
 * const onLoop = place.onLoop;
 * // ... sync, timed ...
 * place.observe(onLoop, syncMs, performance.now());
 */
export class SyncPlacement {
  private loop = true;
  private movedAt = 0;
  private fast = 0;
  /** Moves between the loop and the pool so far. */
  moves = 0;

  constructor(private readonly options: SyncPlacementOptions) {}

  /** True when the next sync should run on the event loop. */
  get onLoop(): boolean {
    return this.loop;
  }

  /** Record a sync that ran on the loop (`onLoop`) or the pool and took `ms`, at time `now` (ms). */
  observe(onLoop: boolean, ms: number, now: number): void {
    const { slowMs, holdMs, fastRun } = this.options;
    if (onLoop) {
      if (this.loop && ms > slowMs) {
        this.loop = false;
        this.movedAt = now;
        this.fast = 0;
        this.moves++;
      }
      return;
    }
    this.fast = ms <= slowMs ? this.fast + 1 : 0;
    if (!this.loop && this.fast >= fastRun && now - this.movedAt >= holdMs) {
      this.loop = true;
      this.moves++;
    }
  }
}
