import { pairwiseSum } from "../sum.js";

/** numpy's reduction buffer size: a 1-D sum is computed in chunks of this many elements. */
const NUMPY_BUFSIZE = 8192;

/**
 * numpy's `sum` of a 1-D float64 array, bit for bit: the reduction runs over chunks of 8192
 * elements (the ufunc buffer size), each summed pairwise (@cia/core's `pairwiseSum`), and the
 * chunk sums are added left to right onto 0. A single pairwise sum over all n differs from numpy
 * in the last bit once n > 8192 (checked against numpy 1.24 on 30 random arrays of 10,000).
 *
 * @example
 * numpySum(new Float64Array(10_000).fill(0.1)); // same bits as numpy.sum
 */
export function numpySum(x: Float64Array): number {
  let s = 0;
  for (let off = 0; off < x.length; off += NUMPY_BUFSIZE)
    s += pairwiseSum(x, off, Math.min(NUMPY_BUFSIZE, x.length - off));
  return s;
}

/**
 * numpy's `mean` of a 1-D float64 array: {@link numpySum} divided by n. Using it for every
 * estimate makes ours equal OBP's `estimate_policy_value` to the last bit.
 *
 * @example
 * numpyMean(new Float64Array([0.1, 0.2, 0.3])); // same bits as numpy.mean
 */
export function numpyMean(x: Float64Array): number {
  return numpySum(x) / x.length;
}

// Scratch for pairwiseDot's products, grown on demand and reused, so the per-round call in the
// estimators does not allocate.
let products = new Float64Array(64);

/**
 * numpy's pairwise sum of the products a[off + j] * b[off + j], j < len, as
 * `np.multiply(a, b).sum(axis=1)` computes it for one C-contiguous row: the products are formed
 * first (as numpy does), then summed by {@link pairwiseRowSum}. Allocation-free after warm-up.
 *
 * @example
 * pairwiseDot(Float64Array.of(1, 2, 3), Float64Array.of(0, 1, 0), 0, 3); // 2
 */
export function pairwiseDot(a: Float64Array, b: Float64Array, off: number, len: number): number {
  if (products.length < len) products = new Float64Array(Math.max(len, 2 * products.length));
  for (let j = 0; j < len; j++) products[j] = a[off + j]! * b[off + j]!;
  return pairwiseRowSum(products, 0, len);
}

/**
 * numpy's pairwise sum of x[off .. off + len) as a reduction along a row (`x.sum(axis=1)`), which
 * starts from +0: core's {@link pairwiseSum} plus 0, which only turns an all-negative-zero sum's
 * -0 into +0 and leaves every other result (NaN and infinities included) bit for bit.
 *
 * @example
 * pairwiseRowSum(Float64Array.of(9, 0.1, 0.2, 9), 1, 2); // 0.1 + 0.2
 */
export function pairwiseRowSum(x: Float64Array, off: number, len: number): number {
  return pairwiseSum(x, off, len) + 0;
}
