/**
 * A policy or an assignment over K actions for n units, as one flat n x K row-major matrix: row i
 * is unit i, column a is action a (0 = no offer), entry (i, a) = the probability that unit i gets
 * action a (`data[i * K + a]`). Rows of a stochastic policy sum to 1; a deterministic assignment
 * is one-hot (see `oneHotActions`). Kept a plain `Float64Array` so every estimator and kernel reads
 * it without a wrapper; n and K travel beside it.
 *
 * @example
 * const pi: ActionMatrix = oneHotActions(Int32Array.of(0, 2), 3); // [1,0,0, 0,0,1]
 * pi[1 * 3 + 2]; // 1: unit 1 gets action 2
 */
export type ActionMatrix = Float64Array;
