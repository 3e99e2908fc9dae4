import type { ActionMatrix } from "./action-matrix.js";

/**
 * A deterministic policy as an n x K one-hot `ActionMatrix`: row i puts probability 1 on
 * `actions[i]`. Use it to evaluate an assignment (one action per unit, 0 = no offer).
 *
 * Throws `RangeError` when `k` is not a positive integer or an action is not an integer in [0, k).
 *
 * @example
 * oneHotActions(Int32Array.of(0, 2, 1), 3);
 * // Float64Array [1,0,0, 0,0,1, 0,1,0]
 */
export function oneHotActions(actions: ArrayLike<number>, k: number): ActionMatrix {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a positive integer, got ${k}`);
  const n = actions.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    if (!(Number.isInteger(a) && a >= 0 && a < k))
      throw new RangeError(`action ${a} at row ${i} is outside [0, ${k})`);
    out[i * k + a] = 1;
  }
  return out;
}
