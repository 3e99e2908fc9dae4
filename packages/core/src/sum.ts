/**
 * Sum with Neumaier's compensated summation: the error stays O(eps) regardless of n, where a
 * naive loop drifts by O(n eps). Optional `offset`/`length` sum a slice without copying.
 *
 * @example
 * sum(new Float64Array([1e100, 1, -1e100])); // 1 (a naive loop gives 0)
 */
export function sum(x: ArrayLike<number>, offset = 0, length = x.length - offset): number {
  let s = 0;
  let c = 0;
  const end = offset + length;
  for (let i = offset; i < end; i++) {
    const v = x[i]!;
    const t = s + v;
    if (Math.abs(s) >= Math.abs(v)) c += s - t + v;
    else c += v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Pairwise summation, numpy's algorithm (blocks of 8 partial sums below 128 elements, recursive
 * halving above). It reproduces numpy's `sum` of a contiguous 1-D array to the last bit for up to
 * 8,192 elements; numpy reduces longer arrays in 8,192-element buffers, each summed pairwise and
 * added left to right (`numpySum` in `@cia/core/parity` does that). Allocation-free: the eight
 * partial sums are scalars, so per-row callers in hot loops can use it.
 *
 * @example
 * pairwiseSum(new Float64Array([0.1, 0.2, 0.3])); // same bits as numpy.sum
 */
export function pairwiseSum(x: ArrayLike<number>, offset = 0, length = x.length - offset): number {
  if (length < 8) {
    // numpy starts from -0.0 so that a sum of negative zeros stays -0.0.
    let res = -0;
    for (let i = 0; i < length; i++) res += x[offset + i]!;
    return res;
  }
  if (length <= 128) {
    let r0 = x[offset]!;
    let r1 = x[offset + 1]!;
    let r2 = x[offset + 2]!;
    let r3 = x[offset + 3]!;
    let r4 = x[offset + 4]!;
    let r5 = x[offset + 5]!;
    let r6 = x[offset + 6]!;
    let r7 = x[offset + 7]!;
    const end = length - (length % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const o = offset + i;
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
    for (; i < length; i++) res += x[offset + i]!;
    return res;
  }
  let n2 = length >> 1;
  n2 -= n2 % 8;
  return pairwiseSum(x, offset, n2) + pairwiseSum(x, offset + n2, length - n2);
}
