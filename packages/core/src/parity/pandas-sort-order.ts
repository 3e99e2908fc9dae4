/**
 * The row order of pandas' `DataFrame.sort_values(col, ascending=False)` (kind "quicksort") for a
 * float64 column without NaN, tie order included: pandas reverses the values, argsorts them
 * ascending with numpy's introsort (`aquicksort`: median-of-3 quicksort, insertion sort below 16
 * elements, heapsort past a depth of 2 floor(log2 n)), maps back and reverses again. CausalML's
 * uplift curves sort this way, so reproducing it makes Qini/AUUC agree with CausalML to the last
 * digit even when scores tie (tree ensembles produce many ties).
 *
 * @example
 * pandasDescendingOrder([1, 3, 3, 2]); // Int32Array [1, 2, 3, 0]
 */
export function pandasDescendingOrder(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  const rev = new Float64Array(n);
  for (let i = 0; i < n; i++) rev[i] = values[n - 1 - i]!;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  numpyArgQuicksort(rev, idx);
  // indexer = non_nan_idx[::-1][argsort] then reversed.
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) out[n - 1 - j] = n - 1 - idx[j]!;
  return out;
}

const SMALL_QUICKSORT = 15;

/** numpy's `aquicksort_` (npysort/quicksort.cpp) on float64 without NaN, in place on `tosort`. */
function numpyArgQuicksort(v: Float64Array, tosort: Int32Array): void {
  const num = tosort.length;
  if (num < 2) return;
  let pl = 0;
  let pr = num - 1;
  const stack: number[] = [];
  const depthStack: number[] = [];
  let cdepth = msb(num) * 2;
  const swap = (a: number, b: number): void => {
    const t = tosort[a]!;
    tosort[a] = tosort[b]!;
    tosort[b] = t;
  };
  for (;;) {
    if (cdepth < 0) {
      aheapsort(v, tosort, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[tosort[pm]!]! < v[tosort[pl]!]!) swap(pm, pl);
        if (v[tosort[pr]!]! < v[tosort[pm]!]!) swap(pr, pm);
        if (v[tosort[pm]!]! < v[tosort[pl]!]!) swap(pm, pl);
        const vp = v[tosort[pm]!]!;
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (v[tosort[pi]!]! < vp);
          do --pj;
          while (vp < v[tosort[pj]!]!);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depthStack.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = tosort[pi]!;
        const vp = v[vi]!;
        let pj = pi;
        let pk = pi - 1;
        while (pj > pl && vp < v[tosort[pk]!]!) tosort[pj--] = tosort[pk--]!;
        tosort[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depthStack.pop()!;
  }
}

/** Index of the most significant bit (npy_get_msb). */
function msb(n: number): number {
  let d = 0;
  while (n > 1) {
    n = Math.floor(n / 2);
    d++;
  }
  return d;
}

/** numpy's `aheapsort_` on tosort[off .. off + n). */
function aheapsort(v: Float64Array, tosort: Int32Array, off: number, n: number): void {
  // 1-based heap: a[i] is tosort[off + i - 1].
  const get = (i: number): number => tosort[off + i - 1]!;
  const set = (i: number, x: number): void => {
    tosort[off + i - 1] = x;
  };
  // Put `tmp` at position i of the heap of the first `end` items, moving larger children up.
  const siftDown = (tmp: number, start: number, end: number): void => {
    let i = start;
    let j = start << 1;
    while (j <= end) {
      if (j < end && v[get(j)]! < v[get(j + 1)]!) j += 1;
      if (v[tmp]! < v[get(j)]!) {
        set(i, get(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  };
  for (let l = n >> 1; l > 0; --l) siftDown(get(l), l, n);
  for (let m = n; m > 1; ) {
    const tmp = get(m);
    set(m, get(1));
    m -= 1;
    siftDown(tmp, 1, m);
  }
}
