/**
 * Stable argsort: indices that order `x` ascending (or descending); ties keep index order, as
 * numpy's `argsort(kind="stable")`. NaN sorts last in either direction; -0 and 0 tie.
 *
 * Above a few hundred elements this is an LSD radix sort on the IEEE-754 bit patterns (four
 * 16-bit passes, skipping passes where every key shares the digit), which is stable by
 * construction and ~10x faster than a comparator sort on 1M doubles.
 *
 * @example
 * argsort([3, 1, 2]); // Int32Array [1, 2, 0]
 * argsort([3, 1, 2], { descending: true }); // Int32Array [0, 2, 1]
 */
export function argsort(x: ArrayLike<number>, options: { descending?: boolean } = {}): Int32Array {
  const n = x.length;
  const desc = options.descending === true;
  if (n < 512) return comparatorArgsort(x, desc);
  // Map each double to an unsigned 64-bit key (hi, lo) whose unsigned order is the numeric order:
  // flip the sign bit of positives, all bits of negatives. Descending inverts every key, which
  // keeps ties in index order because the sort is stable. NaN gets the largest key either way.
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    let v = x[i]!;
    if (v === 0) v = 0; // -0 ties with 0
    if (Number.isNaN(v)) {
      hi[i] = 0xffffffff;
      lo[i] = 0xffffffff;
      continue;
    }
    f[0] = v;
    let h = u[1]!;
    let l = u[0]!;
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    if (desc) {
      // Invert, but keep the all-ones NaN key out of reach: finite keys invert below 0xffffffff.
      h = ~h >>> 0;
      l = ~l >>> 0;
      if (h === 0xffffffff && l === 0xffffffff) l = 0xfffffffe;
    }
    hi[i] = h;
    lo[i] = l;
  }
  let idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let tmp = new Int32Array(n);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const keys = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i]! >>> shift) & 0xffff]!++;
    // A digit shared by all keys leaves the order unchanged: skip the scatter.
    if (count[(keys[0]! >>> shift) & 0xffff] === n) continue;
    let s = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = s;
      s += c;
    }
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      tmp[count[(keys[j]! >>> shift) & 0xffff]!++] = j;
    }
    const t = idx;
    idx = tmp;
    tmp = t;
  }
  return idx;
}

function comparatorArgsort(x: ArrayLike<number>, desc: boolean): Int32Array {
  const n = x.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const sign = desc ? -1 : 1;
  idx.sort((a, b) => {
    const va = x[a]!;
    const vb = x[b]!;
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na || nb) return na && nb ? a - b : na ? 1 : -1;
    if (va !== vb) return sign * (va < vb ? -1 : 1);
    return a - b;
  });
  return idx;
}

/**
 * Ranks from 1 to n with ties given their average rank (the convention Spearman's rho needs).
 *
 * @example
 * ranks([10, 20, 20, 5]); // Float64Array [2, 3.5, 3.5, 1]
 */
export function ranks(x: ArrayLike<number>): Float64Array {
  const order = argsort(x);
  const n = x.length;
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]!] === x[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]!] = r;
    i = j + 1;
  }
  return out;
}
