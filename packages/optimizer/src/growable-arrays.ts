// Growable typed arrays for the streaming allocation (internal; not exported from the package):
// capacities double, so n appends cost O(n) copies in all.

/** A growable typed array's next capacity for `need` entries. */
export function roomFor(have: number, need: number): number {
  let cap = Math.max(have, 1024);
  while (cap < need) cap *= 2;
  return cap;
}

/** `from` into `to` at `at` (a typed array by `set`, anything else cell by cell). */
export function copyInto(to: Float64Array, at: number, from: ArrayLike<number>): void {
  if (from instanceof Float64Array) to.set(from, at);
  else for (let i = 0; i < from.length; i++) to[at + i] = from[i]!;
}

/** `a` itself when it holds `cap` entries, else a copy of it in a new array of `cap` entries. */
export function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, cap: number): T {
  if (a.length >= cap) return a;
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
