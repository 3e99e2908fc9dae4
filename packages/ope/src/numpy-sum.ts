import { pairwiseSum } from "@cia/core";

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

/**
 * numpy's pairwise sum of the products a[off + j] * b[off + j], j < len, as
 * `np.multiply(a, b).sum(axis=1)` computes it for one C-contiguous row. Allocation-free (eight
 * scalar accumulators instead of core's small array), because it runs once per logged round.
 */
export function pairwiseDot(a: Float64Array, b: Float64Array, off: number, len: number): number {
  if (len < 8) {
    let res = 0;
    for (let j = 0; j < len; j++) res += a[off + j]! * b[off + j]!;
    return res;
  }
  if (len <= 128) {
    let r0 = a[off]! * b[off]!;
    let r1 = a[off + 1]! * b[off + 1]!;
    let r2 = a[off + 2]! * b[off + 2]!;
    let r3 = a[off + 3]! * b[off + 3]!;
    let r4 = a[off + 4]! * b[off + 4]!;
    let r5 = a[off + 5]! * b[off + 5]!;
    let r6 = a[off + 6]! * b[off + 6]!;
    let r7 = a[off + 7]! * b[off + 7]!;
    const end = len - (len % 8);
    let j = 8;
    for (; j < end; j += 8) {
      const o = off + j;
      r0 += a[o]! * b[o]!;
      r1 += a[o + 1]! * b[o + 1]!;
      r2 += a[o + 2]! * b[o + 2]!;
      r3 += a[o + 3]! * b[o + 3]!;
      r4 += a[o + 4]! * b[o + 4]!;
      r5 += a[o + 5]! * b[o + 5]!;
      r6 += a[o + 6]! * b[o + 6]!;
      r7 += a[o + 7]! * b[o + 7]!;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; j < len; j++) res += a[off + j]! * b[off + j]!;
    return res;
  }
  let n2 = len >> 1;
  n2 -= n2 % 8;
  return pairwiseDot(a, b, off, n2) + pairwiseDot(a, b, off + n2, len - n2);
}

/** numpy's pairwise sum of x[off .. off + len), allocation-free (see {@link pairwiseDot}). */
export function pairwiseRowSum(x: Float64Array, off: number, len: number): number {
  if (len < 8) {
    let res = 0;
    for (let j = 0; j < len; j++) res += x[off + j]!;
    return res;
  }
  if (len <= 128) {
    let r0 = x[off]!;
    let r1 = x[off + 1]!;
    let r2 = x[off + 2]!;
    let r3 = x[off + 3]!;
    let r4 = x[off + 4]!;
    let r5 = x[off + 5]!;
    let r6 = x[off + 6]!;
    let r7 = x[off + 7]!;
    const end = len - (len % 8);
    let j = 8;
    for (; j < end; j += 8) {
      const o = off + j;
      r0 += x[o]!;
      r1 += x[o + 1]!;
      r2 += x[o + 2]!;
      r3 += x[o + 3]!;
      r4 += x[o + 4]!;
      r5 += x[o + 5]!;
      r6 += x[o + 6]!;
      r7 += x[o + 7]!;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; j < len; j++) res += x[off + j]!;
    return res;
  }
  let n2 = len >> 1;
  n2 -= n2 % 8;
  return pairwiseRowSum(x, off, n2) + pairwiseRowSum(x, off + n2, len - n2);
}
