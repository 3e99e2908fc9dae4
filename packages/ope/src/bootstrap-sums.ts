import type { Rng } from "@cia/core";

/**
 * How a bootstrap resample weights the rows.
 * - "multinomial": the classic (Efron) bootstrap, n rows drawn with replacement, so the counts are
 *   Multinomial(n; 1/n, ..., 1/n) and sum to n. This is what OBP's `estimate_interval` does.
 * - "poisson": independent Poisson(1) counts per row (the "Poisson bootstrap" used at scale, e.g.
 *   Chamandy et al. 2012); the replicate mean is sum(c x) / sum(c). Asymptotically equivalent.
 */
export type BootstrapScheme = "multinomial" | "poisson";

/** Weighted column sums of every resample: `sums[b * m + j] = sum_i c_bi x_j[i]`. */
export interface BootstrapSums {
  readonly n: number;
  readonly m: number;
  readonly resamples: number;
  readonly scheme: BootstrapScheme;
  /** resamples x m, row-major. */
  readonly sums: Float64Array;
  /** sum_i c_bi per resample (exactly n for the multinomial scheme). */
  readonly totals: Float64Array;
}

/** Resamples drawn together in one pass over the rows (each row's values are loaded once). */
const BATCH = 4;
const BYTE_SENTINEL = -1024;
const TWO_POW_32 = 4294967296;
const TWO_POW_40 = 1099511627776;
const TWO_POW_53 = 9007199254740992;

/**
 * Poisson(lambda) counts by inversion on a uniform u, with a 256-entry table on the top 8 bits of
 * u: a byte whose whole interval [b/256, (b+1)/256) lies between two CDF values determines the
 * count; the few bytes that straddle a CDF value (5 of 256 for lambda = 1) are marked and resolved
 * with 45 more random bits, so u has 53-bit resolution exactly as a floating-point inversion would.
 */
interface CountTable {
  readonly table: Float64Array;
  readonly cdf: Float64Array;
}

function countTable(lambda: number): CountTable {
  const cdfList: number[] = [];
  let p = Math.exp(-lambda);
  let c = 0;
  for (let k = 0; k < 250; k++) {
    c += p;
    if (c >= 1 || p === 0) {
      cdfList.push(1);
      break;
    }
    cdfList.push(c);
    p *= lambda / (k + 1);
  }
  // The last entry is 1 so that every u in [0, 1) maps to a count.
  cdfList[cdfList.length - 1] = 1;
  const cdf = Float64Array.from(cdfList);
  const table = new Float64Array(256);
  for (let b = 0; b < 256; b++) {
    const lo = b / 256;
    const hi = (b + 1) / 256;
    let k = 0;
    while (cdf[k]! <= lo) k++;
    table[b] = hi <= cdf[k]! ? k : BYTE_SENTINEL;
  }
  return { table, cdf };
}

/** xoshiro128** state (Blackman and Vigna), 4 x 32 bits; seeded from a @cia/core Rng. */
function seedState(rng: Rng): Int32Array {
  const s = new Int32Array(4);
  for (let j = 0; j < 4; j++) s[j] = Math.floor(rng.next() * TWO_POW_32) | 0;
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  return s;
}

/** One xoshiro128** step on the state array (used off the hot path). */
function nextWord(s: Int32Array): number {
  const s1 = s[1]!;
  const r = Math.imul(s1, 5);
  const result = Math.imul((r << 7) | (r >>> 25), 9);
  const t = s1 << 9;
  s[2]! ^= s[0]!;
  s[3]! ^= s1;
  s[1]! ^= s[2]!;
  s[0]! ^= s[3]!;
  s[2]! ^= t;
  s[3] = (s[3]! << 11) | (s[3]! >>> 21);
  return result >>> 0;
}

/** The count for a straddling top byte: refine u = b/256 + 45 more bits, then invert the CDF. */
function resolveCount(s: Int32Array, byte: number, cdf: Float64Array): number {
  const w1 = nextWord(s);
  const w2 = nextWord(s);
  const u = byte / 256 + w1 / TWO_POW_40 + (w2 >>> 19) / TWO_POW_53;
  let k = 0;
  while (u >= cdf[k]!) k++;
  return k;
}

/** A uniform index in [0, n) from 53 random bits. */
function uniformIndex(s: Int32Array, n: number): number {
  const hi = nextWord(s) >>> 5;
  const lo = nextWord(s) >>> 6;
  return Math.floor(((hi * 67108864 + lo) / TWO_POW_53) * n);
}

/**
 * Draw `resamples` bootstrap resamples of n rows and return, for each, the count-weighted sum of
 * every column (and the total count). Everything a bootstrap of means, differences or ratios of
 * means needs, in one pass over the rows per resample: the replicate mean of column j is
 * `sums[b*m + j] / totals[b]`, a paired difference is a difference of two columns' sums (the same
 * counts), a ratio statistic is a ratio of sums.
 *
 * Speed and exactness: counts come from a fast xoshiro128** stream seeded by `rng`, four rows per
 * 32-bit word through a Poisson CDF table (see `countTable`), never from one generator call per
 * drawn row. The multinomial scheme is exact in distribution by Poissonization: with independent
 * Poisson(lambda) counts, given their total T = t the counts are Multinomial(t; 1/n, ...); so draw
 * them with lambda = 1 - 2/sqrt(n), so that T <= n except with probability ~2.3%; such a resample
 * is redrawn whole, which conditions on T <= n (an event of T alone) and keeps that property; then
 * throw the missing n - T (about 2 sqrt(n)) rows one by one uniformly: n independent uniform draws
 * in total, i.e. Multinomial(n). The constant 2 balances the 2.3% of redrawn passes against the
 * individual throws, each a random (cache-missing) read.
 * For small n (lambda <= 0) every row is thrown individually. The Poisson scheme redraws a
 * resample whose counts are all zero.
 *
 * @example
 * const boot = bootstrapSums([rounds], { resamples: 1000, rng: createRng(7) });
 * const means = boot.sums.map((s, b) => s / boot.totals[b]!); // replicate means
 */
export function bootstrapSums(
  columns: readonly Float64Array[],
  options: { resamples?: number | undefined; scheme?: BootstrapScheme | undefined; rng: Rng },
): BootstrapSums {
  const m = columns.length;
  if (m === 0) throw new RangeError("bootstrapSums needs at least one column");
  const n = columns[0]!.length;
  for (const col of columns)
    if (col.length !== n) throw new RangeError("bootstrapSums: columns differ in length");
  if (n === 0) throw new RangeError("bootstrapSums: no rows");
  const resamples = options.resamples ?? 1000;
  if (!(Number.isInteger(resamples) && resamples >= 1))
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  const scheme = options.scheme ?? "multinomial";
  const lambda = scheme === "poisson" ? 1 : Math.max(0, 1 - 2 / Math.sqrt(n));
  const state = seedState(options.rng);
  const sums = new Float64Array(resamples * m);
  const totals = new Float64Array(resamples);
  const { table, cdf } = countTable(lambda > 0 ? lambda : 1);
  const acc = new Float64Array(BATCH * m);
  const batchTotals = new Float64Array(BATCH);
  const scratch = new Float64Array(BATCH * 4);
  const one = new Float64Array(m);
  const redrawTotal = new Float64Array(1);
  for (let b0 = 0; b0 < resamples; b0 += BATCH) {
    const size = Math.min(BATCH, resamples - b0);
    if (lambda > 0) {
      if (m === 1 && size === BATCH) passFour(columns[0]!, table, cdf, state, acc, batchTotals, scratch);
      else passBatch(columns, size, table, cdf, state, acc, batchTotals, scratch);
    } else {
      acc.fill(0);
      batchTotals.fill(0);
    }
    // Finish the batch's resamples one by one, in order: a rejected one is redrawn alone (fresh
    // bits, so the others are untouched and it takes the conditional law), then thrown to n.
    for (let r = 0; r < size; r++) {
      const b = b0 + r;
      for (let j = 0; j < m; j++) one[j] = acc[r * m + j]!;
      let total = batchTotals[r]!;
      for (;;) {
        if (scheme === "multinomial" ? total <= n : total > 0) break;
        passBatch(columns, 1, table, cdf, state, one, redrawTotal, scratch);
        total = redrawTotal[0]!;
      }
      if (scheme === "multinomial") {
        if (m === 1) {
          const x = columns[0]!;
          let extra = 0;
          for (let t = total; t < n; t++) extra += x[uniformIndex(state, n)]!;
          one[0]! += extra;
        } else
          for (let t = total; t < n; t++) {
            const i = uniformIndex(state, n);
            for (let j = 0; j < m; j++) one[j]! += columns[j]![i]!;
          }
        totals[b] = n;
      } else totals[b] = total;
      sums.set(one, b * m);
    }
  }
  return { n, m, resamples, scheme, sums, totals };
}


/**
 * The four counts of a group whose word hit a straddling byte, resolved in lane order (as
 * `passBatch` does). Writes the group's weighted sum and count total to `out`.
 */
function slowGroup(
  state: Int32Array,
  word: number,
  table: Float64Array,
  cdf: Float64Array,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  out: Float64Array,
): void {
  let c0 = table[word & 255]!;
  if (c0 < 0) c0 = resolveCount(state, word & 255, cdf);
  let c1 = table[(word >>> 8) & 255]!;
  if (c1 < 0) c1 = resolveCount(state, (word >>> 8) & 255, cdf);
  let c2 = table[(word >>> 16) & 255]!;
  if (c2 < 0) c2 = resolveCount(state, (word >>> 16) & 255, cdf);
  let c3 = table[word >>> 24]!;
  if (c3 < 0) c3 = resolveCount(state, word >>> 24, cdf);
  out[0] = c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
  out[1] = c0 + c1 + c2 + c3;
}

/**
 * `size` resamples at once, any number of columns: for each group of four rows, resample r takes
 * the next word of the stream (r = 0, ..., size - 1) and resolves its straddling bytes in lane
 * order before the next resample's word. Writes `acc[r * m + j]` and `totals[r]`.
 */
function passBatch(
  columns: readonly Float64Array[],
  size: number,
  table: Float64Array,
  cdf: Float64Array,
  state: Int32Array,
  acc: Float64Array,
  totals: Float64Array,
  counts: Float64Array,
): void {
  const m = columns.length;
  const n = columns[0]!.length;
  acc.fill(0, 0, size * m);
  totals.fill(0, 0, size);
  for (let i = 0; i < n; i += 4) {
    const lanes = Math.min(n - i, 4);
    for (let r = 0; r < size; r++) {
      const word = nextWord(state);
      for (let lane = 0; lane < lanes; lane++) {
        const byte = (word >>> (8 * lane)) & 255;
        let c = table[byte]!;
        if (c < 0) c = resolveCount(state, byte, cdf);
        counts[r * 4 + lane] = c;
      }
    }
    for (let r = 0; r < size; r++)
      for (let lane = 0; lane < lanes; lane++) {
        const c = counts[r * 4 + lane]!;
        if (c === 0) continue;
        totals[r]! += c;
        const row = i + lane;
        for (let j = 0; j < m; j++) acc[r * m + j]! += c * columns[j]![row]!;
      }
  }
}

/**
 * The hot path: four resamples of one column in one pass, the generator state in locals, each
 * group of four rows loaded once for all four resamples. Draws the stream exactly as
 * `passBatch(columns, 4, ...)` does. A plain running sum per resample: its rounding error
 * (~sqrt(n) ulp) is far below the Monte Carlo error of any bootstrap quantile.
 */
function passFour(
  x: Float64Array,
  table: Float64Array,
  cdf: Float64Array,
  state: Int32Array,
  acc: Float64Array,
  totals: Float64Array,
  out: Float64Array,
): void {
  const n = x.length;
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  const n4 = n - (n % 4);
  for (let i = 0; i < n4; i += 4) {
    const x0 = x[i]!;
    const x1 = x[i + 1]!;
    const x2 = x[i + 2]!;
    const x3 = x[i + 3]!;
    {
      const q = Math.imul(s1, 5);
      const word = Math.imul((q << 7) | (q >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const c0 = table[word & 255]!;
      const c1 = table[(word >>> 8) & 255]!;
      const c2 = table[(word >>> 16) & 255]!;
      const c3 = table[word >>> 24]!;
      const cs = c0 + c1 + c2 + c3;
      if (cs >= 0) {
        a0 += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
        t0 += cs;
      } else {
        state[0] = s0;
        state[1] = s1;
        state[2] = s2;
        state[3] = s3;
        slowGroup(state, word, table, cdf, x0, x1, x2, x3, out);
        s0 = state[0]!;
        s1 = state[1]!;
        s2 = state[2]!;
        s3 = state[3]!;
        a0 += out[0]!;
        t0 += out[1]!;
      }
    }
    {
      const q = Math.imul(s1, 5);
      const word = Math.imul((q << 7) | (q >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const c0 = table[word & 255]!;
      const c1 = table[(word >>> 8) & 255]!;
      const c2 = table[(word >>> 16) & 255]!;
      const c3 = table[word >>> 24]!;
      const cs = c0 + c1 + c2 + c3;
      if (cs >= 0) {
        a1 += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
        t1 += cs;
      } else {
        state[0] = s0;
        state[1] = s1;
        state[2] = s2;
        state[3] = s3;
        slowGroup(state, word, table, cdf, x0, x1, x2, x3, out);
        s0 = state[0]!;
        s1 = state[1]!;
        s2 = state[2]!;
        s3 = state[3]!;
        a1 += out[0]!;
        t1 += out[1]!;
      }
    }
    {
      const q = Math.imul(s1, 5);
      const word = Math.imul((q << 7) | (q >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const c0 = table[word & 255]!;
      const c1 = table[(word >>> 8) & 255]!;
      const c2 = table[(word >>> 16) & 255]!;
      const c3 = table[word >>> 24]!;
      const cs = c0 + c1 + c2 + c3;
      if (cs >= 0) {
        a2 += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
        t2 += cs;
      } else {
        state[0] = s0;
        state[1] = s1;
        state[2] = s2;
        state[3] = s3;
        slowGroup(state, word, table, cdf, x0, x1, x2, x3, out);
        s0 = state[0]!;
        s1 = state[1]!;
        s2 = state[2]!;
        s3 = state[3]!;
        a2 += out[0]!;
        t2 += out[1]!;
      }
    }
    {
      const q = Math.imul(s1, 5);
      const word = Math.imul((q << 7) | (q >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const c0 = table[word & 255]!;
      const c1 = table[(word >>> 8) & 255]!;
      const c2 = table[(word >>> 16) & 255]!;
      const c3 = table[word >>> 24]!;
      const cs = c0 + c1 + c2 + c3;
      if (cs >= 0) {
        a3 += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
        t3 += cs;
      } else {
        state[0] = s0;
        state[1] = s1;
        state[2] = s2;
        state[3] = s3;
        slowGroup(state, word, table, cdf, x0, x1, x2, x3, out);
        s0 = state[0]!;
        s1 = state[1]!;
        s2 = state[2]!;
        s3 = state[3]!;
        a3 += out[0]!;
        t3 += out[1]!;
      }
    }
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
  totals[0] = t0;
  totals[1] = t1;
  totals[2] = t2;
  totals[3] = t3;
  // The last n % 4 rows: one word per resample, as in passBatch.
  if (n4 < n)
    for (let r = 0; r < 4; r++) {
      const word = nextWord(state);
      for (let i = n4; i < n; i++) {
        const byte = (word >>> (8 * (i - n4))) & 255;
        let c = table[byte]!;
        if (c < 0) c = resolveCount(state, byte, cdf);
        totals[r]! += c;
        acc[r]! += c * x[i]!;
      }
    }
}
