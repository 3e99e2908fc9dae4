/**
 * Stable argsort of `keys[0..n)` in DESCENDING order by an LSD radix sort on the IEEE-754 bits
 * (four 16-bit digits), for the millions of hull increments the allocator orders by slope: no
 * comparator closure, O(n) time, and ties keep index order, so results are deterministic.
 * Digit passes in which every key shares the same digit are skipped (common for the exponent bits).
 *
 * Keys must not be NaN; -0 sorts with +0.
 *
 * @example
 * radixArgsortDescending(new Float64Array([1, 3, 2, 3])); // Int32Array [1, 3, 2, 0]
 */
export function radixArgsortDescending(keys: Float64Array, n: number = keys.length): Int32Array {
  if (n < 2048) {
    // Small inputs: 4 passes over 65,536 buckets would cost more than a comparison sort.
    const small = new Int32Array(n);
    for (let i = 0; i < n; i++) small[i] = i;
    return small.sort((a, b) => keys[b]! - keys[a]! || a - b);
  }
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  // Little-endian hosts store the low word first (every platform Node supports).
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let idx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    bits[0] = k === 0 ? 0 : k;
    let h = words[1]!;
    let l = words[0]!;
    // Map to an unsigned integer that increases with the float, then invert for descending order.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    hi[i] = ~h >>> 0;
    lo[i] = ~l >>> 0;
    idx[i] = i;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i]! >>> shift) & 0xffff]!++;
    if (n === 0 || count[(src[0]! >>> shift) & 0xffff] === n) continue;
    let total = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      const d = ((pass < 2 ? l : h) >>> shift) & 0xffff;
      const pos = count[d]!++;
      hi2[pos] = h;
      lo2[pos] = l;
      idx2[pos] = idx[i]!;
    }
    let t = hi;
    hi = hi2;
    hi2 = t;
    t = lo;
    lo = lo2;
    lo2 = t;
    const ti = idx;
    idx = idx2;
    idx2 = ti;
  }
  return idx;
}
