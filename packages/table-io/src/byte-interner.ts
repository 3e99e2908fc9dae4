// Internal to the package.

/** Distinct byte strings remembered: an action or category column has a few. */
const SLOTS = 16;
/** Longest byte string remembered (longer cells are decoded every time). */
const WIDTH = 64;

/**
 * The value of a short cell whose bytes were seen before, found by comparing bytes, so a column
 * cycling through a few values (actions, categories) costs no string per row. Remembers the first
 * {@link SLOTS} distinct cells of up to {@link WIDTH} bytes; others are the caller's to decode.
 *
 * @example
 * const seen = new ByteInterner<number>();
 * if (seen.find(buf, s, e) < 0) seen.remember(buf, s, e, 7);
 * seen.values[seen.find(buf, s, e)]; // 7
 */
export class ByteInterner<T> {
  readonly values: T[] = [];
  private readonly bytes = new Uint8Array(SLOTS * WIDTH);
  private readonly lengths = new Int32Array(SLOTS);
  /** The slot last found for a hash of a cell's length and edge bytes (-1: none): one try, mostly. */
  private readonly hint = new Int8Array(HINTS).fill(-1);

  /**
   * The slot holding `buf[s, e)`, or -1. The slot last found for cells of this length and edge
   * bytes is tried first, then every slot from `from` on (the one after the last row's, say: a
   * unit's rows cycle through the actions in order).
   */
  find(buf: Uint8Array, s: number, e: number, from = 0): number {
    const len = e - s;
    const h = hash(buf, s, e);
    const hinted = this.hint[h]!;
    if (hinted >= 0 && this.holds(hinted, buf, s, len)) return hinted;
    const count = this.values.length;
    let k = from < count ? from : 0;
    for (let tries = 0; tries < count; tries++) {
      if (this.holds(k, buf, s, len)) {
        this.hint[h] = k;
        return k;
      }
      k = k + 1 === count ? 0 : k + 1;
    }
    return -1;
  }

  /**
   * Where the cell starting at `buf[s]` ends (its comma or newline) when it holds exactly slot
   * `k`'s bytes (`k` past the last slot: slot 0), else -1: the usual cell matched in the same pass
   * that finds its end.
   *
   * @example
   * const e = seen.endOf(buf, s, last + 1); // e >= 0: the cell is buf[s, e), slot (last + 1) % count
   */
  endOf(buf: Uint8Array, s: number, k: number): number {
    const count = this.values.length;
    if (count === 0) return -1;
    const slot = k < count ? k : 0;
    const len = this.lengths[slot]!;
    const o = slot * WIDTH;
    for (let i = 0; i < len; i++) if (this.bytes[o + i] !== buf[s + i]) return -1;
    const c = buf[s + len];
    return c === 44 || c === 10 ? s + len : -1;
  }

  /** Remember `buf[s, e)` as `value` when there is a free slot and it is short enough. */
  remember(buf: Uint8Array, s: number, e: number, value: T): void {
    const k = this.values.length;
    if (k >= SLOTS || e - s > WIDTH) return;
    this.bytes.set(buf.subarray(s, e), k * WIDTH);
    this.lengths[k] = e - s;
    this.values.push(value);
    this.hint[hash(buf, s, e)] = k;
  }

  private holds(k: number, buf: Uint8Array, s: number, len: number): boolean {
    if (this.lengths[k] !== len) return false;
    const o = k * WIDTH;
    let i = 0;
    while (i < len && this.bytes[o + i] === buf[s + i]) i++;
    return i === len;
  }
}

/** Hints kept: a power of two. */
const HINTS = 64;

function hash(buf: Uint8Array, s: number, e: number): number {
  return e > s ? ((e - s) * 7 + buf[s]! * 3 + buf[e - 1]!) & (HINTS - 1) : 0;
}
