import { ranks } from "./argsort.js";

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function checkPair(x: ArrayLike<number>, y: ArrayLike<number>, name: string): void {
  if (x.length !== y.length) throw new RangeError(`${name}: lengths differ (${x.length} vs ${y.length})`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!))
      throw new RangeError(`${name}: non-finite value at ${i}`);
  }
}

/**
 * Spearman's rank correlation: Pearson's correlation of average ranks (ties handled), as
 * scipy.stats.spearmanr. NaN when either input is constant.
 *
 * @example
 * spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]); // 0.8207826816681233
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y, "spearman");
  if (x.length < 2) return Number.NaN;
  return pearson(ranks(x), ranks(y));
}

/**
 * Kendall's tau-b with tie correction, by Knight's O(n log n) algorithm (sort by x then y,
 * count the inversions of y with a merge sort), as scipy.stats.kendalltau.
 *
 * @example
 * kendall([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]); // -0.4714045207910316
 */
export function kendall(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y, "kendall");
  const n = x.length;
  if (n < 2) return Number.NaN;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]! || a - b);
  // Ties in x, and joint ties in (x, y), over runs of the lexicographic order.
  let xtie = 0;
  let ntie = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[perm[j + 1]!] === x[perm[i]!]) j++;
    const t = j - i + 1;
    xtie += (t * (t - 1)) / 2;
    let k = i;
    while (k <= j) {
      let m = k;
      while (m + 1 <= j && y[perm[m + 1]!] === y[perm[k]!]) m++;
      const u = m - k + 1;
      ntie += (u * (u - 1)) / 2;
      k = m + 1;
    }
    i = j + 1;
  }
  // Merge sort the y values in this order, counting strict inversions (discordant pairs).
  let a = Float64Array.from(perm, (p) => y[p]!);
  let buf = new Float64Array(n);
  let dis = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let p = lo;
      let q = mid;
      let o = lo;
      while (p < mid && q < hi) {
        if (a[q]! < a[p]!) {
          dis += mid - p;
          buf[o++] = a[q++]!;
        } else buf[o++] = a[p++]!;
      }
      while (p < mid) buf[o++] = a[p++]!;
      while (q < hi) buf[o++] = a[q++]!;
    }
    const t = a;
    a = buf;
    buf = t;
  }
  let ytie = 0;
  i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && a[j + 1] === a[i]) j++;
    const t = j - i + 1;
    ytie += (t * (t - 1)) / 2;
    i = j + 1;
  }
  const tot = (n * (n - 1)) / 2;
  if (xtie === tot || ytie === tot) return Number.NaN;
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  return conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
}
