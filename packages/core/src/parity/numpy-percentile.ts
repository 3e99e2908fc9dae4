/**
 * numpy's `np.percentile(x, percent, method="midpoint")` of n sorted values read through `at(j)`
 * (the j-th smallest), bit for bit: numpy's virtual index, its midpoint rule and its two-sided
 * `_lerp`. sklearn's `_BinMapper` takes its bin edges this way, so reproducing the arithmetic
 * (not just the definition) gives the same edges to the last bit. `at` lets a caller serve order
 * statistics of weighted data without materialising the repeated rows.
 *
 * @example
 * const s = [1, 2, 4, 8];
 * numpyMidpointPercentile((j) => s[j]!, s.length, 50); // 3
 */
export function numpyMidpointPercentile(at: (j: number) => number, n: number, percent: number): number {
  const v = (percent / 100) * (n - 1);
  const virtual = 0.5 * (Math.floor(v) + Math.ceil(v));
  const prev = Math.floor(virtual);
  const gamma = virtual % 1 === 0 ? 0 : 0.5;
  return lerp(at(prev), at(Math.min(prev + 1, n - 1)), gamma);
}

/** numpy's `_lerp`: interpolating from the nearer end keeps the result exact at t = 1. */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}
