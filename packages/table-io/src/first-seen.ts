// Internal to the package.

/**
 * Names numbered in order of first appearance. While they arrive in increasing order (ids sorted,
 * as score writes them for sorted tables) each is new by construction and no hash map is built. From
 * the first one out of order on, that sorted prefix is searched by bisection and only later names
 * go into a Map: ids sorted as text until the digits widen (u999999, then u1000000) cost one Map
 * entry per later unit, not a Map of the million before.
 *
 * @example
 * const ids = new FirstSeen();
 * ids.indexOf("u1"); // 0
 * ids.indexOf("u2"); // 1
 * ids.indexOf("u1"); // 0
 */
export class FirstSeen {
  readonly keys: string[] = [];
  /** keys[0, sorted) are increasing (all of them until a name arrives out of order). */
  private sorted = 0;
  private map: Map<string, number> | undefined;

  /** The number of `s`: its place in {@link keys}, appended when new. */
  indexOf(s: string): number {
    const keys = this.keys;
    if (this.map === undefined) {
      const n = keys.length;
      if (n === 0 || s > keys[n - 1]!) {
        keys.push(s);
        return n;
      }
      if (s === keys[n - 1]) return n - 1;
      this.sorted = n;
      this.map = new Map();
    }
    let lo = 0;
    let hi = this.sorted;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.sorted && keys[lo] === s) return lo;
    let k = this.map.get(s);
    if (k === undefined) {
      k = keys.length;
      keys.push(s);
      this.map.set(s, k);
    }
    return k;
  }
}
