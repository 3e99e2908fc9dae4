/**
 * Index of `v` in the sorted category values of a categorical feature, or -1 when it is not one of
 * them (an unseen category, or NaN): the category's bin. Shared by the bin mapper and the fitted
 * model, so training and prediction bin categories identically.
 *
 * @example
 * categoryIndex(Float64Array.of(1, 4, 9), 4); // 1
 * categoryIndex(Float64Array.of(1, 4, 9), 5); // -1
 */
export function categoryIndex(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = sorted[mid]!;
    if (s === v) return mid;
    if (s < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
