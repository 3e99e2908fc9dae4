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
 * added left to right (`numpySum` in @cia/ope does that).
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
    const r = [
      x[offset]!,
      x[offset + 1]!,
      x[offset + 2]!,
      x[offset + 3]!,
      x[offset + 4]!,
      x[offset + 5]!,
      x[offset + 6]!,
      x[offset + 7]!,
    ];
    let i = 8;
    for (; i < length - (length % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k]! += x[offset + i + k]!;
    }
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < length; i++) res += x[offset + i]!;
    return res;
  }
  let n2 = length >> 1;
  n2 -= n2 % 8;
  return pairwiseSum(x, offset, n2) + pairwiseSum(x, offset + n2, length - n2);
}
