import { CiaError } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import { numpyMidpointPercentile, sklearnBinSubsample } from "@cia/core/parity";
import { categoryIndex } from "./category-index.js";
import type { LearnersErrorCode } from "./error-codes.js";

/** Options of {@link BinMapper.fit}. */
export interface BinMapperOptions {
  /** Maximum number of bins for non-missing values, 2..255 (one more bin holds missing values). Default 255. */
  maxBins?: number;
  /** Rows used to compute quantile edges; more rows are subsampled (sklearn: 200,000). `Infinity` uses all. */
  subsample?: number;
  /** Seed of the subsample; the same integer as sklearn's `random_state` draws the same rows. Default 0. */
  seed?: number;
  /** Column indices holding categories (any finite numbers; at most `maxBins` distinct values each). */
  categoricalFeatures?: readonly number[];
  /** Frequency weights for the quantiles (weight k counts a row k times). Default: every row once. */
  weights?: ArrayLike<number>;
}

/**
 * A binned feature matrix: `data[f * rows + i]` is the bin of row i in feature f (feature-major, one
 * contiguous column per feature). Bin `missingBin` holds missing values (NaN, unseen categories).
 */
export interface BinnedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly missingBin: number;
  readonly data: Uint8Array;
}

/** JSON form of a {@link BinMapper}. */
export interface BinMapperJson {
  maxBins: number;
  thresholds: (number[] | null)[];
  categories: (number[] | null)[];
}

/** Largest finite threshold: +Infinity is reserved for "every non-missing value goes left" (as sklearn). */
const ALMOST_INF = 1e300;

/**
 * Maps raw feature values to small integer bins, once, so trees work on `Uint8Array` columns.
 * Numeric features get quantile edges computed exactly like sklearn's `_BinMapper` (numpy's
 * "midpoint" percentiles of a seeded 200,000-row subsample; midpoints between distinct values when
 * there are at most `maxBins` of them); a value v goes to bin i when `edge[i-1] < v <= edge[i]`.
 * Categorical features map each distinct value to its own bin. NaN goes to `missingBin = maxBins`.
 *
 * Fit one mapper and share it (`HistGradientBoosting.fit(x, y, { binMapper })`) so bootstrap
 * ensembles bin the data once.
 *
 * @example
 * const mapper = BinMapper.fit(x, { maxBins: 255, seed: 0 });
 * const binned = mapper.transform(x); // binned.data[f * binned.rows + i]
 */
export class BinMapper {
  /** Number of feature columns. */
  readonly nFeatures: number;
  /** Maximum number of non-missing bins; also the index of the missing-values bin. */
  readonly maxBins: number;
  /** Per feature: increasing bin edges (numeric) or null (categorical). */
  readonly thresholds: readonly (Float64Array | null)[];
  /** Per feature: sorted category values (categorical) or null (numeric). */
  readonly categories: readonly (Float64Array | null)[];
  /** Per feature: number of bins used by non-missing values. */
  readonly nBinsNonMissing: Int32Array;
  /** Per feature: 1 when categorical. */
  readonly isCategorical: Uint8Array;

  private constructor(
    maxBins: number,
    thresholds: (Float64Array | null)[],
    categories: (Float64Array | null)[],
  ) {
    this.maxBins = maxBins;
    this.thresholds = thresholds;
    this.categories = categories;
    this.nFeatures = thresholds.length;
    this.nBinsNonMissing = new Int32Array(this.nFeatures);
    this.isCategorical = new Uint8Array(this.nFeatures);
    for (let f = 0; f < this.nFeatures; f++) {
      const t = thresholds[f];
      const c = categories[f];
      if (c) {
        this.isCategorical[f] = 1;
        this.nBinsNonMissing[f] = c.length;
      } else {
        this.nBinsNonMissing[f] = (t?.length ?? 0) + 1;
      }
    }
    Object.freeze(this.thresholds);
    Object.freeze(this.categories);
  }

  /** The index of the bin holding missing values (NaN and unseen categories). */
  get missingBin(): number {
    return this.maxBins;
  }

  /** Learn bin edges (and categories) from `x`. */
  static fit(x: DenseMatrix, options: BinMapperOptions = {}): BinMapper {
    const maxBins = options.maxBins ?? 255;
    if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 255) {
      throw new CiaError<LearnersErrorCode>(
        "invalid_option",
        `maxBins must be an integer in [2, 255], got ${maxBins}`,
        {
          maxBins,
        },
      );
    }
    const subsample = options.subsample ?? 200_000;
    if (!(subsample >= 1))
      throw new CiaError<LearnersErrorCode>("invalid_option", `subsample must be >= 1, got ${subsample}`, {
        subsample,
      });
    const seed = options.seed ?? 0;
    const n = x.rows;
    const p = x.cols;
    if (n < 1)
      throw new CiaError<LearnersErrorCode>("empty_data", "BinMapper.fit needs at least one row", {
        rows: n,
      });
    const cat = new Uint8Array(p);
    for (const f of options.categoricalFeatures ?? []) {
      if (!Number.isInteger(f) || f < 0 || f >= p) {
        throw new CiaError<LearnersErrorCode>(
          "invalid_option",
          `categorical feature index ${f} is outside [0, ${p})`,
          {
            feature: f,
          },
        );
      }
      cat[f] = 1;
    }
    const w = options.weights;
    if (w !== undefined && w.length !== n) {
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `weights has length ${w.length}, x has ${n} rows`,
        {
          weights: w.length,
          rows: n,
        },
      );
    }
    let rowsUsed: Int32Array | null = null;
    if (n > subsample) rowsUsed = sklearnBinSubsample(n, Math.floor(subsample), seed);
    const m = rowsUsed ? rowsUsed.length : n;
    const data = x.data;
    // One pass over the sampled rows (in increasing order) into a column-major copy: each row's
    // values share a cache line, instead of one scattered read per row and feature.
    if (rowsUsed) rowsUsed.sort();
    // (Without subsampling the rows are read in order straight from x.)
    const sub = rowsUsed ? new Float64Array(m * p) : null;
    if (sub && rowsUsed) {
      for (let r = 0; r < m; r++) {
        const off = rowsUsed[r]! * p;
        for (let f = 0; f < p; f++) sub[f * m + r] = data[off + f]!;
      }
    }
    const big = m >= 20_000;
    const scratch: RadixScratch = {
      tmp: new Uint32Array(big ? 2 * m : 0),
      count: new Int32Array(big ? 65536 : 0),
    };
    const col = new Float64Array(m);
    const colW = w ? new Float64Array(m) : null;
    const thresholds: (Float64Array | null)[] = [];
    const categories: (Float64Array | null)[] = [];
    for (let f = 0; f < p; f++) {
      if (cat[f]) {
        categories.push(findCategories(data, n, p, f, maxBins));
        thresholds.push(null);
        continue;
      }
      let k = 0;
      const base = f * m;
      for (let r = 0; r < m; r++) {
        const v = sub ? sub[base + r]! : data[r * p + f]!;
        if (Number.isNaN(v)) continue;
        if (colW) {
          const wi = w![rowsUsed ? rowsUsed[r]! : r]!;
          if (!(wi > 0)) continue;
          colW[k] = wi;
        }
        col[k++] = v;
      }
      thresholds.push(
        colW
          ? weightedThresholds(col.subarray(0, k), colW.subarray(0, k), maxBins)
          : findThresholds(col.subarray(0, k), maxBins, scratch),
      );
      categories.push(null);
    }
    return new BinMapper(maxBins, thresholds, categories);
  }

  /** Rebuild a mapper from {@link BinMapper.toJSON} output. */
  static fromJSON(json: BinMapperJson): BinMapper {
    const thresholds = json.thresholds.map((t) =>
      t ? Float64Array.from(t, (v) => (v === null ? Number.POSITIVE_INFINITY : v)) : null,
    );
    const categories = json.categories.map((c) => (c ? Float64Array.from(c) : null));
    return new BinMapper(json.maxBins, thresholds, categories);
  }

  /** Bin every value of `x` into a feature-major `Uint8Array` matrix. */
  transform(x: DenseMatrix): BinnedMatrix {
    if (x.cols !== this.nFeatures) {
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `x has ${x.cols} columns, the bin mapper was fitted on ${this.nFeatures}`,
        {
          cols: x.cols,
          expected: this.nFeatures,
        },
      );
    }
    const n = x.rows;
    const p = x.cols;
    const out = new Uint8Array(n * p);
    const missing = this.maxBins;
    const data = x.data;
    const plans = this.thresholds.map((t, f) => (t ? numericPlan(t) : categoricalPlan(this.categories[f]!)));
    // Rows in blocks, all features per block: the block of the row-major input stays in cache
    // while every feature is binned, so the input matrix is read from memory once.
    const BLOCK = 2048;
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const i1 = Math.min(n, i0 + BLOCK);
      for (let f = 0; f < p; f++) {
        binRows(data, n, p, f, i0, i1, plans[f]!, missing, out);
      }
    }
    return { rows: n, cols: p, missingBin: missing, data: out };
  }

  /** Bin one value of feature `f` (used by prediction on raw data for categorical features). */
  binValue(f: number, v: number): number {
    if (Number.isNaN(v)) return this.maxBins;
    const c = this.categories[f];
    if (c) {
      const k = categoryIndex(c, v);
      return k < 0 ? this.maxBins : k;
    }
    const t = this.thresholds[f]!;
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= t[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** JSON form (thresholds and categories as plain arrays). */
  toJSON(): BinMapperJson {
    return {
      maxBins: this.maxBins,
      thresholds: this.thresholds.map((t) => (t ? Array.from(t) : null)),
      categories: this.categories.map((c) => (c ? Array.from(c) : null)),
    };
  }
}

const GRID = 4096;

interface BinPlan {
  /** 0: grid lookup, 1: binary search, 2: categorical */
  kind: 0 | 1 | 2;
  t: Float64Array;
  nt: number;
  start: Uint8Array;
  lo0: number;
  scale: number;
}

function categoricalPlan(c: Float64Array): BinPlan {
  return { kind: 2, t: c, nt: c.length, start: new Uint8Array(0), lo0: 0, scale: 0 };
}

function numericPlan(edges: Float64Array): BinPlan {
  // Edges padded to 256 entries with +Infinity for the fixed 8-step search.
  const t = new Float64Array(256).fill(Number.POSITIVE_INFINITY);
  t.set(edges);
  const nt = edges.length;
  const lo0 = nt > 0 ? t[0]! : 0;
  const hi0 = nt > 0 ? t[nt - 1]! : 0;
  const scale = GRID / (hi0 - lo0);
  if (nt < 3 || !(scale > 0 && Number.isFinite(scale)) || hi0 >= ALMOST_INF) {
    return { kind: 1, t, nt, start: new Uint8Array(0), lo0: 0, scale: 0 };
  }
  // A uniform grid over the edges gives a starting bin; a short scan both ways makes it exact
  // (bin = number of edges strictly below v), without the mispredicted branches of a binary search.
  const start = new Uint8Array(GRID + 1);
  for (let gi = 0, b = 0; gi <= GRID; gi++) {
    const edge = lo0 + gi / scale;
    while (b < nt && t[b]! < edge) b++;
    start[gi] = b;
  }
  return { kind: 0, t, nt, start, lo0, scale };
}

/** Bins of feature f for rows i0..i1-1 under its plan (NaN and unseen categories: `missing`). */
function binRows(
  data: Float64Array,
  n: number,
  p: number,
  f: number,
  i0: number,
  i1: number,
  plan: BinPlan,
  missing: number,
  out: Uint8Array,
): void {
  const { kind, t, nt, start, lo0, scale } = plan;
  const base = f * n;
  if (kind === 2) {
    for (let i = i0; i < i1; i++) {
      const k = categoryIndex(t, data[i * p + f]!);
      out[base + i] = k < 0 ? missing : k;
    }
    return;
  }
  for (let i = i0; i < i1; i++) {
    const v = data[i * p + f]!;
    if (Number.isNaN(v)) {
      out[base + i] = missing;
      continue;
    }
    if (kind === 0) {
      // The grid cell's first bin, then a short scan both ways (written inline: as a call it is
      // not inlined and binning slows by 5%).
      let gi = Math.floor((v - lo0) * scale);
      gi = Math.min(Math.max(gi, 0), GRID);
      let b = start[gi]!;
      while (b < nt && t[b]! < v) b++;
      while (b > 0 && !(t[b - 1]! < v)) b--;
      out[base + i] = b;
    } else out[base + i] = searchBin(v, t);
  }
}

/**
 * Bin of a non-NaN v by a fixed 8-step descent over 256 padded edges; the comparisons become
 * arithmetic rather than branches.
 */
function searchBin(v: number, t: Float64Array): number {
  let lo = 0;
  lo += +(t[lo + 127]! < v) * 128;
  lo += +(t[lo + 63]! < v) * 64;
  lo += +(t[lo + 31]! < v) * 32;
  lo += +(t[lo + 15]! < v) * 16;
  lo += +(t[lo + 7]! < v) * 8;
  lo += +(t[lo + 3]! < v) * 4;
  lo += +(t[lo + 1]! < v) * 2;
  lo += +(t[lo]! < v);
  return lo;
}

function findCategories(data: Float64Array, n: number, p: number, f: number, maxBins: number): Float64Array {
  const values = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i * p + f]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) {
      throw new CiaError<LearnersErrorCode>(
        "invalid_category",
        `categorical feature ${f} has a non-finite value ${v} in row ${i}`,
        { feature: f, row: i },
      );
    }
    values[k++] = v;
  }
  const sorted = values.subarray(0, k).sort();
  const distinct: number[] = [];
  for (let i = 0; i < k; i++) if (i === 0 || sorted[i]! !== sorted[i - 1]!) distinct.push(sorted[i]!);
  if (distinct.length > maxBins) {
    throw new CiaError<LearnersErrorCode>(
      "too_many_categories",
      `categorical feature ${f} has ${distinct.length} categories, more than maxBins = ${maxBins}`,
      {
        feature: f,
        categories: distinct.length,
        maxBins,
      },
    );
  }
  return Float64Array.from(distinct);
}

/**
 * LSD radix sort of NaN-free float64 values (four 16-bit passes over order-preserving bit
 * patterns); about 5x faster than `Float64Array.prototype.sort` on the 200,000-value subsample.
 */
interface RadixScratch {
  tmp: Uint32Array;
  count: Int32Array;
}

function radixSortF64(a: Float64Array, scratch: RadixScratch): Float64Array {
  const n = a.length;
  let src: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1]!;
    if (hi & 0x80000000) {
      src[2 * i] = ~src[2 * i]!;
      src[2 * i + 1] = ~hi;
    } else src[2 * i + 1] = hi | 0x80000000;
  }
  let dst: Uint32Array = scratch.tmp.subarray(0, 2 * n);
  const count = scratch.count;
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const d = (src[2 * i + word]! >>> shift) & 0xffff;
      count[d] = count[d]! + 1;
    }
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const d = (src[2 * i + word]! >>> shift) & 0xffff;
      const pos = count[d]!;
      count[d] = pos + 1;
      dst[2 * pos] = src[2 * i]!;
      dst[2 * pos + 1] = src[2 * i + 1]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // four passes: the sorted keys are back in `a`'s buffer
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1]!;
    if (hi & 0x80000000) src[2 * i + 1] = hi & 0x7fffffff;
    else {
      src[2 * i] = ~src[2 * i]!;
      src[2 * i + 1] = ~hi;
    }
  }
  return a;
}

/**
 * sklearn `_find_binning_thresholds`: distinct-value midpoints, or numpy "midpoint" percentiles.
 * (Sorts `values` in place: the caller passes a scratch copy.)
 */
function findThresholds(values: Float64Array, maxBins: number, scratch: RadixScratch): Float64Array {
  const m = values.length;
  if (m === 0) return new Float64Array(0);
  // Radix sort pays off on large columns; its 65,536-entry count table does not on small ones.
  const s = m >= 20_000 ? radixSortF64(values, scratch) : values.sort();
  return binEdges(s, (j) => s[j]!, m, maxBins);
}

/**
 * The same edges with frequency weights: order statistic j of the weighted sample is the first
 * sorted value whose cumulative weight exceeds j, so integer weights equal repeated rows.
 */
function weightedThresholds(values: Float64Array, weights: Float64Array, maxBins: number): Float64Array {
  const m = values.length;
  if (m === 0) return new Float64Array(0);
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  const s = new Float64Array(m);
  const cw = new Float64Array(m);
  let acc = 0;
  for (let i = 0; i < m; i++) {
    s[i] = values[order[i]!]!;
    acc += weights[order[i]!]!;
    cw[i] = acc;
  }
  const orderStat = (j: number): number => {
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cw[mid]! > j) hi = mid;
      else lo = mid + 1;
    }
    return s[lo]!;
  };
  return binEdges(s, orderStat, acc, maxBins);
}

/**
 * Bin edges from sorted values `s`: midpoints between distinct values when there are at most
 * `maxBins` of them, else numpy's "midpoint" percentiles at `np.linspace(0, 100, maxBins + 1)[1:-1]`
 * of a sample of size `count` whose j-th order statistic is `at(j)`. Edges above ALMOST_INF are
 * clipped so +Infinity keeps meaning "every non-missing value goes left".
 */
function binEdges(s: Float64Array, at: (j: number) => number, count: number, maxBins: number): Float64Array {
  const m = s.length;
  const distinct: number[] = [s[0]!];
  for (let i = 1; i < m && distinct.length <= maxBins; i++) if (s[i]! !== s[i - 1]!) distinct.push(s[i]!);
  let out: Float64Array;
  if (distinct.length <= maxBins) {
    out = new Float64Array(distinct.length - 1);
    for (let i = 0; i + 1 < distinct.length; i++) out[i] = (distinct[i]! + distinct[i + 1]!) * 0.5;
  } else {
    out = new Float64Array(maxBins - 1);
    const step = 100 / maxBins; // np.linspace(0, 100, maxBins + 1) = k * step
    for (let k = 1; k < maxBins; k++) out[k - 1] = numpyMidpointPercentile(at, count, k * step);
  }
  for (let i = 0; i < out.length; i++) if (out[i]! > ALMOST_INF) out[i] = ALMOST_INF;
  return out;
}
