/**
 * (unit, offer) items of an n x K effect matrix, the unit of the calibration and ranking
 * diagnostics: one item per unit for a single offer, or one per unit and offer for all of them.
 *
 * @example
 * const items = effectItems(pred.tauValue, pred.nActions); // every unit x offer 1..K-1
 * const arm2 = effectItems(pred.tauValue, pred.nActions, [2]);
 */
export interface EffectItems {
  units: Int32Array;
  arms: Int32Array;
  /** The matrix entries at the items (same order). */
  values: Float64Array;
}

/**
 * Items of every unit for the given offers (default all offers 1..K-1), with the matrix values.
 *
 * @example
 * effectItems(Float64Array.from([0, 1, 2, 0, 3, 4]), 3).values; // [1, 3, 2, 4]
 */
export function effectItems(matrix: Float64Array, nActions: number, arms?: readonly number[]): EffectItems {
  const k = nActions;
  const n = matrix.length / k;
  const list = arms ?? Array.from({ length: k - 1 }, (_, j) => j + 1);
  const m = n * list.length;
  const units = new Int32Array(m);
  const armArr = new Int32Array(m);
  const values = new Float64Array(m);
  let o = 0;
  for (const a of list) {
    for (let i = 0; i < n; i++) {
      units[o] = i;
      armArr[o] = a;
      values[o++] = matrix[i * k + a]!;
    }
  }
  return { units, arms: armArr, values };
}

/**
 * Gather matrix entries (n x K) at existing items.
 *
 * @example
 * const costAtItems = atItems(pred.tauCost, k, effectItems(pred.tauValue, k));
 */
export function atItems(matrix: Float64Array, nActions: number, items: EffectItems): Float64Array {
  const out = new Float64Array(items.units.length);
  for (let j = 0; j < out.length; j++) out[j] = matrix[items.units[j]! * nActions + items.arms[j]!]!;
  return out;
}
