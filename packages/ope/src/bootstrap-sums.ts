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

/** Bits of a uniform per count: three counts per 32-bit word (the top two bits are unused). */
const COUNT_BITS = 10;
const COUNT_VALUES = 1 << COUNT_BITS;
const COUNT_MASK = COUNT_VALUES - 1;
const SENTINEL = -1024;
const TWO_POW_32 = 4294967296;
const TWO_POW_42 = 4398046511104;
const TWO_POW_53 = 9007199254740992;

/**
 * Poisson(lambda) counts by inversion on a uniform u, with a 1024-entry table on the top 10 bits
 * of u: a value v whose whole interval [v/1024, (v+1)/1024) lies between two CDF values determines
 * the count; the few values that straddle a CDF value (6 of 1024 for lambda = 1) are marked and
 * resolved with 43 more random bits, so u has 53-bit resolution exactly as a floating-point
 * inversion would. (An 8-bit table, four counts per word, straddled 5 of 256: 7.6% of the words
 * took the slow path, and its mispredicted branches and resolutions cost more than the 33% more
 * generator steps of three counts per word; the 8 KB table still sits in L1.)
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
  const table = new Float64Array(COUNT_VALUES);
  for (let v = 0; v < COUNT_VALUES; v++) {
    const lo = v / COUNT_VALUES;
    const hi = (v + 1) / COUNT_VALUES;
    let k = 0;
    while (cdf[k]! <= lo) k++;
    table[v] = hi <= cdf[k]! ? k : SENTINEL;
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

/** The count for a straddling 10-bit value: refine u = v/1024 + 43 more bits, invert the CDF. */
function resolveCount(s: Int32Array, v: number, cdf: Float64Array): number {
  const w1 = nextWord(s);
  const w2 = nextWord(s);
  const u = v / COUNT_VALUES + w1 / TWO_POW_42 + (w2 >>> 21) / TWO_POW_53;
  let k = 0;
  while (u >= cdf[k]!) k++;
  return k;
}

/**
 * The counts of the first `lanes` (<= 3) 10-bit values of one word, in lane order, straddling
 * values resolved from the stream in that order; written to `work.lanes` (returned).
 */
function groupCounts(word: number, lanes: number, work: Work): Float64Array {
  const { table, cdf, state, lanes: out } = work;
  for (let lane = 0; lane < lanes; lane++) {
    const v = (word >>> (COUNT_BITS * lane)) & COUNT_MASK;
    const c = table[v]!;
    out[lane] = c < 0 ? resolveCount(state, v, cdf) : c;
  }
  return out;
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
 * Speed and exactness: counts come from a fast xoshiro128** stream seeded by `rng`, three rows per
 * 32-bit word (10 bits each) through a Poisson CDF table (see `countTable`), never from one generator call per
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
 * Random stream: the same rng state gives the same sums, bit for bit. The stream changed once
 * before release (from four 8-bit values per word to three 10-bit values, the partial last group
 * first, straddles resolved after each 49,152-row chunk): intervals of earlier builds for the same
 * seed differ within Monte Carlo error.
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
  const acc = new Float64Array(m);
  const work = createWork(table, cdf, state);
  for (let b = 0; b < resamples; b++) {
    for (;;) {
      const total =
        lambda > 0 ? (m === 1 ? passOne(columns[0]!, acc, work) : passMany(columns, acc, work)) : 0;
      if (lambda === 0) acc.fill(0);
      if (scheme === "multinomial") {
        if (total > n) continue;
        if (m === 1) {
          const x = columns[0]!;
          let extra = 0;
          for (let t = total; t < n; t++) extra += x[uniformIndex(state, n)]!;
          acc[0]! += extra;
        } else
          for (let t = total; t < n; t++) {
            const i = uniformIndex(state, n);
            for (let j = 0; j < m; j++) acc[j]! += columns[j]![i]!;
          }
        totals[b] = n;
      } else {
        if (total === 0) continue;
        totals[b] = total;
      }
      sums.set(acc, b * m);
      break;
    }
  }
  return { n, m, resamples, scheme, sums, totals };
}

/** Rows per call of `chunkOne` (a multiple of 3). */
const CHUNK_ROWS = 3 * 16384;

/**
 * One resample for a single column: fused count generation and weighted sum. A plain running sum
 * per chunk: its rounding error (~sqrt(n) ulp) is far below the Monte Carlo error of any bootstrap
 * quantile, and a blocked sum cost 40% more time here. Returns sum(c).
 *
 * Why chunks: a single long loop is compiled on-stack by V8 before the code after it has run, so
 * that code lacks type feedback and deoptimizes at the end of every pass, which sends the next
 * pass back to the interpreter for thousands of rows; `chunkOne` is called often enough to be
 * compiled as a whole.
 */
function passOne(x: Float64Array, acc: Float64Array, work: Work): number {
  const { state } = work;
  const n = x.length;
  const n3 = n - (n % 3);
  let total = 0;
  let sum = 0;
  // The last n % 3 rows first (one word), then the full groups from row 0.
  if (n3 < n) {
    const lanes = groupCounts(nextWord(state), n - n3, work);
    for (let i = n3; i < n; i++) {
      const c = lanes[i - n3]!;
      total += c;
      sum += c * x[i]!;
    }
  }
  for (let start = 0; start < n3; start += CHUNK_ROWS) {
    chunkOne(x, start, Math.min(start + CHUNK_ROWS, n3), work);
    sum += work.out[0]!;
    total += work.out[1]!;
  }
  acc[0] = sum;
  return total;
}

/** The count generator and the scratch buffers of the passes, set up once per `bootstrapSums` call. */
interface Work {
  /** Count table and Poisson CDF (see `countTable`), and the xoshiro128** state. */
  readonly table: Float64Array;
  readonly cdf: Float64Array;
  readonly state: Int32Array;
  readonly out: Float64Array;
  /** First row and word of each group that hit a straddling value, in row order. */
  readonly slowAt: Int32Array;
  readonly slowWord: Int32Array;
  /** passMany: the words and counts of one chunk. */
  readonly words: Int32Array;
  readonly counts: Float64Array;
  /** The counts of one group of three rows (see `groupCounts`). */
  readonly lanes: Float64Array;
}

function createWork(table: Float64Array, cdf: Float64Array, state: Int32Array): Work {
  return {
    table,
    cdf,
    state,
    out: new Float64Array(2),
    slowAt: new Int32Array(CHUNK_ROWS / 3),
    slowWord: new Int32Array(CHUNK_ROWS / 3),
    words: new Int32Array(CHUNK_ROWS / 3),
    counts: new Float64Array(CHUNK_ROWS),
    lanes: new Float64Array(3),
  };
}

/**
 * Rows [start, end) (full groups of three) of one resample, the generator state in locals. Groups
 * that hit a straddling value are only recorded in the loop (no call there, so V8 keeps the
 * arrays' bounds in registers) and resolved after it, in row order, with the words that follow
 * the chunk's. Writes the weighted sum and the count total to out[0] and out[1].
 */
function chunkOne(x: Float64Array, start: number, end: number, work: Work): void {
  const { out, slowAt, slowWord, table, state } = work;
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  let total = 0;
  let sum = 0;
  let slow = 0;
  for (let i = start; i < end; i += 3) {
    const r = Math.imul(s1, 5);
    const word = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const c0 = table[word & COUNT_MASK]!;
    const c1 = table[(word >>> COUNT_BITS) & COUNT_MASK]!;
    const c2 = table[(word >>> (2 * COUNT_BITS)) & COUNT_MASK]!;
    const cs = c0 + c1 + c2;
    if (cs >= 0) {
      total += cs;
      sum += c0 * x[i]! + c1 * x[i + 1]! + c2 * x[i + 2]!;
    } else {
      slowAt[slow] = i;
      slowWord[slow] = word;
      slow++;
    }
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  for (let g = 0; g < slow; g++) {
    const i = slowAt[g]!;
    const lanes = groupCounts(slowWord[g]!, 3, work);
    for (let lane = 0; lane < 3; lane++) {
      const c = lanes[lane]!;
      sum += c * x[i + lane]!;
      total += c;
    }
  }
  out[0] = sum;
  out[1] = total;
}

/**
 * One resample for several columns: the same counts weight every column. Draws the stream exactly
 * as `passOne` does: the partial last group first, then per chunk one word per three rows
 * followed by the resolutions of the straddling values in row order. Returns sum(c).
 */
function passMany(columns: readonly Float64Array[], acc: Float64Array, work: Work): number {
  const m = columns.length;
  const n = columns[0]!.length;
  const { words, counts, table, cdf, state } = work;
  acc.fill(0);
  let total = 0;
  const n3 = n - (n % 3);
  if (n3 < n) {
    const lanes = groupCounts(nextWord(state), n - n3, work);
    for (let i = n3; i < n; i++) {
      const c = lanes[i - n3]!;
      total += c;
      for (let j = 0; j < m; j++) acc[j]! += c * columns[j]![i]!;
    }
  }
  for (let start = 0; start < n3; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, n3 - start);
    for (let g = 0; g < rows / 3; g++) {
      const word = nextWord(state) | 0;
      words[g] = word;
      for (let lane = 0; lane < 3; lane++)
        counts[3 * g + lane] = table[(word >>> (COUNT_BITS * lane)) & COUNT_MASK]!;
    }
    for (let r = 0; r < rows; r++)
      if (counts[r]! < 0)
        counts[r] = resolveCount(state, (words[(r / 3) | 0]! >>> (COUNT_BITS * (r % 3))) & COUNT_MASK, cdf);
    for (let r = 0; r < rows; r++) {
      const c = counts[r]!;
      if (c === 0) continue;
      total += c;
      const row = start + r;
      for (let j = 0; j < m; j++) acc[j]! += c * columns[j]![row]!;
    }
  }
  return total;
}
