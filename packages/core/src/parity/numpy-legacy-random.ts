/**
 * numpy's legacy `RandomState` (MT19937) for the two things we need from it: `permutation` (the
 * shuffle of sklearn's `KFold`) and the row subsample sklearn's HistGradientBoosting draws to
 * compute bin edges. Reproducing it exactly gives the same
 * bin edges as sklearn on large data, which matters because the RMSE curve of the reference data
 * sits on a cliff where small binning differences move the error a lot.
 */
class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** numpy `mt19937_seed`: Knuth's initialisation from one 32-bit seed. */
  constructor(seed: number) {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < 624; k++) {
      const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % 624]! & 0x7fffffff);
      mt[k] = mt[(k + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy `random_interval`: uniform integer in [0, max] by masked rejection (max < 2^31 here). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }
}

/**
 * The row indices sklearn's `_BinMapper` uses for its quantiles when `HistGradientBoosting*(random_state=seed)`
 * is fitted on `n > size` rows: `RandomState(RandomState(seed).randint(2**32 - 1)).choice(n, size, replace=False)`.
 * Returned in draw order (the order does not matter for quantiles).
 *
 * @example
 * sklearnBinSubsample(1_000_000, 200_000, 0); // the 200,000 rows sklearn bins with random_state=0
 */
export function sklearnBinSubsample(n: number, size: number, seed: number): Int32Array {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`sklearnBinSubsample: seed must be an integer in [0, 2^32 - 1], got ${seed}`);
  }
  const outer = new Mt19937(seed);
  // randint(2**32 - 1, dtype=uint64): masked rejection with mask 0xffffffff, accept <= 2^32 - 2.
  let derived = outer.nextUint32();
  while (derived > 0xfffffffe) derived = outer.nextUint32();
  return numpyPermutation(n, derived).slice(0, size);
}

/**
 * `np.random.RandomState(seed).permutation(n)`: MT19937 with numpy's legacy Fisher-Yates shuffle
 * from the end (masked-rejection intervals). sklearn's `KFold(shuffle=True, random_state=seed)`
 * shuffles row indices exactly this way.
 *
 * @example
 * numpyPermutation(10, 0); // [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
 */
export function numpyPermutation(n: number, seed: number): Int32Array {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`numpyPermutation: seed must be an integer in [0, 2^32 - 1], got ${seed}`);
  }
  const rng = new Mt19937(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i >= 1; i--) {
    const j = rng.interval(i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}
