import seedrandom from "seedrandom";

/** A seed: any string or finite number. The same seed always gives the same sequence. */
export type Seed = string | number;

/**
 * A seeded random number generator with the draws the project needs.
 *
 * Streams: `rng.split("bootstrap")` returns an independent generator whose seed is derived from
 * this generator's seed and the name, never from how many numbers were already drawn, so adding a
 * draw in one stage does not shift another stage's numbers.
 */
export interface Rng {
  /** The seed path this generator was built from (e.g. `"42/bootstrap/3"`). */
  readonly seed: string;
  /** Uniform on [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform on [low, high). */
  uniform(low?: number, high?: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Normal(mean, sd) by the polar Box-Muller method (the spare value is cached). */
  normal(mean?: number, sd?: number): number;
  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate?: number): number;
  /** Gamma(shape, scale) by Marsaglia and Tsang (2000). */
  gamma(shape: number, scale?: number): number;
  /** Beta(a, b) as a ratio of gammas. */
  beta(a: number, b: number): number;
  /** Poisson(lambda): inversion below 30, the PTRS transformed rejection of Hörmann (1993) above. */
  poisson(lambda: number): number;
  /** 1 with probability p, else 0. */
  bernoulli(p: number): 0 | 1;
  /** An index drawn with probability proportional to `weights[i]` (need not sum to 1). */
  categorical(weights: ArrayLike<number>): number;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
  /** k indices from [0, n), with or without replacement. */
  sample(n: number, k: number, options?: { replace?: boolean }): Int32Array;
  /** n indices drawn with replacement from [0, n) (or `size` of them): one bootstrap resample. */
  bootstrapIndices(n: number, size?: number): Int32Array;
  /** An independent generator for a named stream. */
  split(name: string | number): Rng;
}

class SeededRng implements Rng {
  readonly seed: string;
  private readonly prng: seedrandom.PRNG;
  private spare = Number.NaN;

  constructor(seed: string) {
    this.seed = seed;
    // xor4096 (Brent's xorgens): long period, passes BigCrush, fast enough for our loops.
    this.prng = seedrandom.xor4096(seed);
  }

  next(): number {
    return this.prng.double();
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.prng.double();
  }

  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return mean + sd * z;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.prng.double() - 1;
      v = 2 * this.prng.double() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return mean + sd * u * f;
  }

  exponential(rate = 1): number {
    return -Math.log(1 - this.prng.double()) / rate;
  }

  gamma(shape: number, scale = 1): number {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) {
      // Boost to shape + 1 and correct with U^(1/shape) (Marsaglia and Tsang, section 6).
      const u = this.prng.double();
      return this.gamma(shape + 1, scale) * u ** (1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.prng.double();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new RangeError(`poisson lambda must be >= 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda < 30) {
      // Inversion by sequential search: exact and fast for small means.
      const l = Math.exp(-lambda);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= this.prng.double();
      } while (p > l);
      return k - 1;
    }
    // PTRS (Hörmann 1993), as used by numpy for lambda >= 10.
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.prng.double() - 0.5;
      const v = this.prng.double();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (
        Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -lambda + k * loglam - logGamma(k + 1)
      )
        return k;
    }
  }

  bernoulli(p: number): 0 | 1 {
    return this.prng.double() < p ? 1 : 0;
  }

  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    if (!(total > 0)) throw new RangeError("categorical weights must have a positive sum");
    let u = this.prng.double() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    // Rounding left u a hair above 0: return the last index with positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }

  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.double() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  sample(n: number, k: number, options: { replace?: boolean } = {}): Int32Array {
    const out = new Int32Array(k);
    if (options.replace) {
      for (let i = 0; i < k; i++) out[i] = Math.floor(this.prng.double() * n);
      return out;
    }
    if (k > n) throw new RangeError(`cannot sample ${k} of ${n} without replacement`);
    if (k * 4 < n) {
      // Floyd's algorithm: O(k) memory when k is small relative to n.
      const chosen = new Set<number>();
      for (let j = n - k; j < n; j++) {
        const t = Math.floor(this.prng.double() * (j + 1));
        chosen.add(chosen.has(t) ? j : t);
      }
      let i = 0;
      for (const c of chosen) out[i++] = c;
      return this.shuffle(out);
    }
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    // Partial Fisher-Yates: the first k slots end up a uniform sample in random order.
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.prng.double() * (n - i));
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    out.set(all.subarray(0, k));
    return out;
  }

  bootstrapIndices(n: number, size = n): Int32Array {
    return this.sample(n, size, { replace: true });
  }

  split(name: string | number): Rng {
    return new SeededRng(`${this.seed}/${name}`);
  }
}

/** log Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xx = x - 1;
  let a = c[0]!;
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Create a seeded generator.
 *
 * @example
 * const rng = createRng(42);
 * const z = rng.normal();              // same value on every run and machine
 * const boot = rng.split("bootstrap"); // independent stream, unaffected by draws from `rng`
 */
export function createRng(seed: Seed): Rng {
  if (typeof seed === "number" && !Number.isFinite(seed))
    throw new RangeError(`seed must be finite, got ${seed}`);
  return new SeededRng(String(seed));
}
