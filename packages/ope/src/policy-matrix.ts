/**
 * A deterministic policy as an n x K one-hot probability matrix: row i puts probability 1 on
 * `actions[i]`. The name is kept for compatibility: it is @cia/core's `oneHotActions`, the one
 * n x K action-matrix builder of the repository.
 *
 * @example
 * policyFromActions(Int32Array.of(0, 2, 1), 3);
 * // Float64Array [1,0,0, 0,0,1, 0,1,0]
 */
export { oneHotActions as policyFromActions } from "@cia/core";

/**
 * The policy that takes the same action for every unit, e.g. `constantPolicy(n, k, 0)` is
 * "no offer for anyone", the reference of incremental value and cost.
 *
 * @example
 * constantPolicy(2, 3, 0); // Float64Array [1,0,0, 1,0,0]
 */
export function constantPolicy(n: number, k: number, action: number): Float64Array {
  if (!(Number.isInteger(action) && action >= 0 && action < k))
    throw new RangeError(`action ${action} is outside [0, ${k})`);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) out[i * k + action] = 1;
  return out;
}
