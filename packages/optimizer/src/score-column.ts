import { copyInto, grow, roomFor } from "./growable-arrays.js";

/**
 * One score column of the stream's candidates: chunks copied into storage of its own, or (in
 * place) read where the caller keeps them while each chunk continues the last in one buffer.
 */
export class ScoreColumn {
  private own: Float64Array;
  /** The caller's buffer, read in place (rows `[0, rows)` pushed so far). */
  private shared: Float64Array | undefined;

  constructor(
    capacity: number,
    private readonly inPlace: boolean,
  ) {
    // In place, own storage is made only if a chunk does not continue the caller's buffer.
    this.own = new Float64Array(inPlace ? 0 : capacity);
  }

  /** Rows `[at, at + from.length)`: the chunk's values. */
  append(from: ArrayLike<number>, at: number): void {
    const n = from.length;
    if (this.inPlace && from instanceof Float64Array && from.byteOffset === at * 8) {
      if (at === 0 && this.shared === undefined && this.own.length === 0) {
        this.shared = new Float64Array(from.buffer, 0, from.buffer.byteLength >> 3);
        return;
      }
      if (this.shared !== undefined && from.buffer === this.shared.buffer) return;
    }
    if (this.shared !== undefined) {
      // Another buffer (the caller's column was regrown): the rows so far, then copies.
      this.own = new Float64Array(roomFor(0, at + n));
      this.own.set(this.shared.subarray(0, at));
      this.shared = undefined;
    } else if (this.own.length < at + n) this.own = grow(this.own, roomFor(this.own.length, at + n));
    copyInto(this.own, at, from);
  }

  /** Rows `[from, to)`. */
  rows(from: number, to: number): Float64Array {
    return (this.shared ?? this.own).subarray(from, to);
  }
}
