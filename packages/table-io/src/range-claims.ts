// Ranges of a file shared out between two threads without a lock: this thread takes them from the
// front, a worker from the back, until they meet. Relative imports only (a worker loads it).
// Internal to the package.

/**
 * Claims over ranges `0..count-1` in one shared 32-bit word: the next front range in the low 16
 * bits, one past the last unclaimed range in the high 16. `claimFront` and `claimBack` each take
 * one range by compare-and-swap, so a range is claimed exactly once, whichever thread is faster.
 *
 * @example
 * const claims = rangeClaims(8, 1); // range 0 is already the caller's
 * claimFront(claims); // 1 (or -1 once the worker has taken the rest)
 */
export function rangeClaims(count: number, front = 0): Int32Array {
  if (count >= 1 << 15) throw new RangeError(`at most ${(1 << 15) - 1} ranges, got ${count}`);
  const claims = new Int32Array(new SharedArrayBuffer(4));
  claims[0] = (count << 16) | front;
  return claims;
}

/** The next range from the front, or -1 when none is left. */
export function claimFront(claims: Int32Array): number {
  return claim(claims, false);
}

/** The next range from the back, or -1 when none is left. */
export function claimBack(claims: Int32Array): number {
  return claim(claims, true);
}

function claim(claims: Int32Array, back: boolean): number {
  for (;;) {
    const s = Atomics.load(claims, 0);
    const front = s & 0xffff;
    const end = s >>> 16;
    if (front >= end) return -1;
    const next = back ? ((end - 1) << 16) | front : (end << 16) | (front + 1);
    if (Atomics.compareExchange(claims, 0, s, next) === s) return back ? end - 1 : front;
  }
}

/** No range is left to claim (an issue was found: neither thread needs to go on). */
export function closeClaims(claims: Int32Array): void {
  Atomics.store(claims, 0, 0);
}

/** One past the last range the front has claimed (the back claimed from there to the end). */
export function claimedFront(claims: Int32Array): number {
  return Atomics.load(claims, 0) & 0xffff;
}
