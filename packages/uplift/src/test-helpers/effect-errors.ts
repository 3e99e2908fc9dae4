/**
 * RMSE between the column `arm` of two n x K effect matrices (an estimate and the truth).
 *
 * @example
 * armRmse(pred.tauValue, world.tauValue, 3, 1);
 */
export function armRmse(a: Float64Array, b: Float64Array, k: number, arm: number): number {
  let s = 0;
  const n = a.length / k;
  for (let i = 0; i < n; i++) s += (a[i * k + arm]! - b[i * k + arm]!) ** 2;
  return Math.sqrt(s / n);
}

/**
 * Mean of the column `arm` of an n x K matrix.
 *
 * @example
 * armMean(pred.tauValue, 3, 2); // the average effect of offer 2
 */
export function armMean(a: Float64Array, k: number, arm: number): number {
  let s = 0;
  const n = a.length / k;
  for (let i = 0; i < n; i++) s += a[i * k + arm]!;
  return s / n;
}
