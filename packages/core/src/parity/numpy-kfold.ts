import { numpyPermutation } from "./numpy-legacy-random.js";

/**
 * sklearn's `KFold(n_splits, shuffle=True, random_state=seed).split(rows)` test folds, exactly:
 * `np.random.RandomState(seed).shuffle(np.arange(n))` ({@link numpyPermutation}), cut into folds
 * of n // k rows (the first n % k folds one larger), each returned sorted ascending as sklearn's
 * `split` yields them (it turns the folds into masks).
 * CausalML's DR-learner splits its training rows this way (k = 3, seed 0).
 *
 * @example
 * numpyKFoldTestFolds(10, 3, 0); // [[2, 4, 8, 9], [1, 6, 7], [0, 3, 5]]
 */
export function numpyKFoldTestFolds(n: number, folds: number, seed: number): Int32Array[] {
  if (!Number.isInteger(folds) || folds < 2 || folds > n) {
    throw new RangeError(`numpyKFoldTestFolds: folds must be an integer in [2, n], got ${folds}`);
  }
  const perm = numpyPermutation(n, seed);
  const out: Int32Array[] = [];
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const size = Math.floor(n / folds) + (f < n % folds ? 1 : 0);
    out.push(perm.slice(start, start + size).sort());
    start += size;
  }
  return out;
}
