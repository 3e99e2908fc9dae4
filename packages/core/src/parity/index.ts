/**
 * Peer-parity shims: small re-implementations of numpy, pandas and scikit-learn internals whose
 * only purpose is last-bit agreement with the Python peers (CausalML, OBP, sklearn) in the
 * exactness tests. Floating-point sums depend on their order, and random splits on the exact
 * generator, so "the same algorithm" is not enough: to reproduce a peer's number to the last digit
 * we must add, shuffle and sort exactly as its libraries do.
 *
 * They live apart from `@cia/core`'s main exports because they are not the house way to do these
 * things (core's `createRng` is the house generator, `sum` its accurate sum): a package picks one
 * of these only where it promises to match a peer, and names that choice as an option with a
 * documented default (e.g. uplift's `tieOrder: "pandas"`).
 *
 * What each shim reproduces:
 * - `numpySum`, `numpyMean`: numpy's float64 `sum` / `mean` of a 1-D array (8,192-element
 *   buffers, each summed pairwise). Every OPE estimate averages its rounds this way, so ours
 *   equal OBP's `estimate_policy_value` bit for bit.
 * - `pairwiseRowSum`, `pairwiseDot`: numpy's `x.sum(axis=1)` and `np.multiply(a, b).sum(axis=1)`
 *   for one row of a C-contiguous matrix (OBP's direct method).
 * - `numpyPermutation`: `np.random.RandomState(seed).permutation(n)` (MT19937 and numpy's legacy
 *   Fisher-Yates); sklearn's `KFold(shuffle=True)` shuffles with it.
 * - `sklearnBinSubsample`: the rows sklearn's `_BinMapper` subsamples for its quantile edges
 *   (`HistGradientBoosting*(random_state=seed)` on more than 200,000 rows), so bin edges match.
 * - `numpyKFoldTestFolds`: sklearn's `KFold(k, shuffle=True, random_state=seed)` test folds, as
 *   CausalML's DR-learner cuts its training rows.
 * - `pandasDescendingOrder`: pandas' `sort_values(ascending=False)` row order with numpy's
 *   introsort tie order, as CausalML sorts scores for its Qini / AUUC curves.
 * - `numpyMidpointPercentile`: `np.percentile(x, q, method="midpoint")` of sorted values, the
 *   arithmetic sklearn's `_BinMapper` uses for its bin edges.
 * - `heapqPush`, `heapqPop`: CPython's `heapq` sift order, which decides the next leaf sklearn's
 *   `TreeGrower` splits when two gains tie.
 *
 * Core's `pairwiseSum` (numpy's pairwise algorithm, also a good general-purpose accurate sum) stays
 * in the main export list; `numpySum` builds on it.
 *
 * @example
 * import { numpyMean, numpyKFoldTestFolds } from "@cia/core/parity";
 * numpyMean(Float64Array.of(0.1, 0.2, 0.3)); // same bits as numpy.mean
 * numpyKFoldTestFolds(10, 3, 0); // [[2, 4, 8, 9], [1, 6, 7], [0, 3, 5]]
 *
 * @module
 */
export { numpySum, numpyMean, pairwiseRowSum, pairwiseDot } from "./numpy-sum.js";
export { numpyPermutation, sklearnBinSubsample } from "./numpy-legacy-random.js";
export { numpyKFoldTestFolds } from "./numpy-kfold.js";
export { pandasDescendingOrder } from "./pandas-sort-order.js";
export { numpyMidpointPercentile } from "./numpy-percentile.js";
export { heapqPush, heapqPop } from "./python-heapq.js";
