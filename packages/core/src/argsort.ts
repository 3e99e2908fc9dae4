/**
 * Stable argsort: indices that order `x` ascending (or descending); ties keep index order, as
 * numpy's `argsort(kind="stable")`. NaN sorts last in either direction.
 *
 * @example
 * argsort([3, 1, 2]); // Int32Array [1, 2, 0]
 * argsort([3, 1, 2], { descending: true }); // Int32Array [0, 2, 1]
 */
export function argsort(x: ArrayLike<number>, options: { descending?: boolean } = {}): Int32Array {
  const n = x.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const vals = Float64Array.from(x as ArrayLike<number>);
  const sign = options.descending ? -1 : 1;
  // TypedArray#sort is not guaranteed stable for a comparator, so break ties on the index.
  idx.sort((a, b) => {
    const va = vals[a]!;
    const vb = vals[b]!;
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
