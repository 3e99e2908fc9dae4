/**
 * Relative tolerance of the hull's collinearity test (4 ulps of the error scale): a point below the
 * chord by less than this is treated as on it and kept. See {@link upperHullWithOrigin}.
 */
export const HULL_TOLERANCE = 4 * Number.EPSILON;

/**
 * Upper concave hull of one unit's points plus the origin (no offer), walking left to right: the
 * vertices a Lagrangian price can select. Points `0..m)` are given as local arrays sorted by `a`
 * ascending (ties: higher `v` first); `hull` receives vertex positions, -1 for the origin; returns
 * the vertex count. Only increasing-value vertices are kept (a point with no more value than the
 * previous vertex is never worth its extra resource); collinear points are kept (finer integral
 * steps), and so are points below the chord by no more than the rounding of their coordinates:
 * options meant to lie on one line (value = 3 x cost at costs k/3) land a few ulps above or below
 * it, and dropping those at random would coarsen the integral steps. The rule: b (between p and
 * i) is removed iff cross > HULL_TOLERANCE x scale, where cross = (a_b - a_p)(v_i - v_p) -
 * (v_b - v_p)(a_i - a_p) and scale = (|a_b| + |a_p|)|v_i - v_p| + (|v_i| + |v_p|)|a_b - a_p| +
 * (|v_b| + |v_p|)|a_i - a_p| + (|a_i| + |a_p|)|v_b - v_p| (the first-order error bound of cross for
 * coordinates each off by half an ulp). Slopes of the kept steps can then invert by a rounding
 * step; `buildIncrements` clamps them. The first vertex is the leftmost point: the origin,
 * or a free / cost-saving option (a <= 0).
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
        // b below the segment p -> i by more than rounding is not a vertex (collinear points stay).
        const ab = a[b]!;
        const vb = v[b]!;
        const dab = ab - ap;
        const dvb = vb - vp;
        const dai = ai - ap;
        const dvi = vi - vp;
        const cross = dab * dvi - dvb * dai;
        if (cross > 0) {
          const scale =
            (Math.abs(ab) + Math.abs(ap)) * Math.abs(dvi) +
            (Math.abs(vi) + Math.abs(vp)) * Math.abs(dab) +
            (Math.abs(vb) + Math.abs(vp)) * Math.abs(dai) +
            (Math.abs(ai) + Math.abs(ap)) * Math.abs(dvb);
          if (cross > HULL_TOLERANCE * scale) {
            h--;
            continue;
          }
        }
        break;
      }
    }
    hull[h++] = i;
  }
  return h;
}
