/**
 * Upper concave hull of one unit's points plus the origin (no offer), walking left to right: the
 * vertices a Lagrangian price can select. Points `0..m)` are given as local arrays sorted by `a`
 * ascending (ties: higher `v` first); `hull` receives vertex positions, -1 for the origin; returns
 * the vertex count. Only increasing-value vertices are kept (a point with no more value than the
 * previous vertex is never worth its extra resource); collinear points are kept (finer integral
 * steps). The first vertex is the leftmost point: the origin, or a free / cost-saving option (a <= 0).
 */
export function upperHullWithOrigin(m: number, a: Float64Array, v: Float64Array, hull: Int32Array): number {
  let h = 0;
  let originDone = false;
  let q = 0;
  // Coordinates of the last two vertices, kept in registers instead of re-read through `hull`.
  while (q < m || !originDone) {
    let i: number;
    let ai: number;
    let vi: number;
    if (!originDone && (q === m || a[q]! > 0)) {
      i = -1;
      ai = 0;
      vi = 0;
      originDone = true;
    } else {
      i = q++;
      ai = a[i]!;
      vi = v[i]!;
    }
    if (h > 0) {
      const t = hull[h - 1]!;
      if (vi <= (t < 0 ? 0 : v[t]!) || ai === (t < 0 ? 0 : a[t]!)) continue;
      while (h >= 2) {
        const p = hull[h - 2]!;
        const b = hull[h - 1]!;
        const ap = p < 0 ? 0 : a[p]!;
        const vp = p < 0 ? 0 : v[p]!;
        // b strictly below the segment p -> i is not a vertex (collinear points stay).
        if ((a[b]! - ap) * (vi - vp) - (v[b]! - vp) * (ai - ap) > 0) h--;
        else break;
      }
    }
    hull[h++] = i;
  }
  return h;
}
