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

  /** How many of {@link keys}, from the first, are in increasing order. */
  get sortedPrefix(): number {
    return this.map === undefined ? this.keys.length : this.sorted;
  }

  /**
   * The numbers of many names at once (as {@link indexOf} one by one), where `names[0, sorted)`
   * are known to increase: while they stay past the last key they are new by construction, so
   * they are appended without a comparison each (another reader's numbering taken over).
   *
   * @example
   * const at = ids.indexAll(other.keys, other.sortedPrefix); // at[k]: the number of other.keys[k]
   */
  indexAll(names: readonly string[], sorted: number): Int32Array {
    const out = new Int32Array(names.length);
    const keys = this.keys;
    let i = 0;
    if (this.map === undefined && sorted > 0) {
      if (keys.length > 0 && names[0] === keys[keys.length - 1]) out[i++] = keys.length - 1;
      if (i < sorted && (keys.length === 0 || names[i]! > keys[keys.length - 1]!))
        for (; i < sorted; i++) out[i] = keys.push(names[i]!) - 1;
    }
    for (; i < names.length; i++) out[i] = this.indexOf(names[i]!);
    return out;
  }

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
