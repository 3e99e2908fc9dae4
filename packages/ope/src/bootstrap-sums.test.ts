import { createRng, logGamma } from "@cia/core";
import { describe, expect, it } from "vitest";
import { bootstrapSums } from "./bootstrap-sums.js";

/** Pearson chi-square of observed counts against expected probabilities (cells with E < 5 pooled into the last). */
function chiSquare(observed: number[], probs: number[], total: number): { stat: number; df: number } {
  let stat = 0;
  let df = -1;
  let poolO = 0;
  let poolE = 0;
  for (let k = 0; k < probs.length; k++) {
    const e = probs[k]! * total;
    if (e >= 5) {
      stat += (observed[k]! - e) ** 2 / e;
      df++;
    } else {
      poolO += observed[k]!;
      poolE += e;
    }
  }
  // Everything beyond the listed cells joins the pool.
  const listed = observed.slice(0, probs.length).reduce((a, b) => a + b, 0);
  poolO += observed.slice(probs.length).reduce((a, b) => a + b, 0) + 0 * listed;
  poolE += (1 - probs.reduce((a, b) => a + b, 0)) * total;
  if (poolE > 0) {
    stat += (poolO - poolE) ** 2 / poolE;
    df++;
  }
  return { stat, df };
}

/** A generous upper quantile of chi-square(df) (Wilson-Hilferty at z = 4, i.e. p ~ 3e-5). */
function chiSquareBound(df: number): number {
  const z = 4;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

const binomialPmf = (n: number, p: number, k: number) =>
  Math.exp(
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p),
  );
const poissonPmf = (k: number) => Math.exp(-1 - logGamma(k + 1));

/** Bootstrap counts of rows 0 and n-1 (indicator columns) plus the total, over many resamples. */
function countsOf(n: number, scheme: "multinomial" | "poisson", resamples: number, seed: number) {
  const first = new Float64Array(n);
  first[0] = 1;
  const last = new Float64Array(n);
  last[n - 1] = 1;
  const ones = new Float64Array(n).fill(1);
  const boot = bootstrapSums([first, last, ones], { resamples, scheme, rng: createRng(seed) });
  const c0: number[] = [];
  const c1: number[] = [];
  const tot: number[] = [];
  for (let b = 0; b < resamples; b++) {
    c0.push(boot.sums[b * 3]!);
    c1.push(boot.sums[b * 3 + 1]!);
    tot.push(boot.sums[b * 3 + 2]!);
  }
  // The reported totals are the counts' sums (the "ones" column).
  expect(Array.from(boot.totals)).toEqual(tot);
  return { c0, c1, tot };
}

function histogram(x: number[], cells: number): number[] {
  const h = new Array<number>(cells + 20).fill(0);
  for (const v of x) h[v]!++;
  return h;
}

describe("bootstrapSums", () => {
  // n = 3: every row thrown individually (lambda = 0); n = 7, 400, 3001: Poissonized counts with
  // lambda = 1 - 2 / sqrt(n), where about 2.3% of the resamples are redrawn.
  for (const [n, resamples] of [
    [3, 20_000],
    [7, 20_000],
    [400, 20_000],
    [3001, 5_000],
  ] as const) {
    it(`multinomial counts are Multinomial(n; 1/n) and sum to n (n = ${n})`, () => {
      const { c0, c1, tot } = countsOf(n, "multinomial", resamples, n);
      for (const t of tot) expect(t).toBe(n);
      for (const c of [c0, c1]) {
        const probs = Array.from({ length: Math.min(8, n + 1) }, (_, k) => binomialPmf(n, 1 / n, k));
        const { stat, df } = chiSquare(histogram(c, 8), probs, resamples);
        expect(stat).toBeLessThan(chiSquareBound(df));
      }
      // Negative covariance -1/n between cells (visible for small n).
      if (n === 7) {
        const m0 = c0.reduce((a, b) => a + b, 0) / resamples;
        const m1 = c1.reduce((a, b) => a + b, 0) / resamples;
        let cov = 0;
        for (let b = 0; b < resamples; b++) cov += (c0[b]! - m0) * (c1[b]! - m1);
        expect(cov / resamples).toBeCloseTo(-1 / 7, 1);
      }
    });
  }

  it("poisson counts are independent Poisson(1), including the rare straddling values", () => {
    const resamples = 20_000;
    const { c0, c1, tot } = countsOf(1000, "poisson", resamples, 11);
    for (const c of [c0, c1]) {
      const probs = Array.from({ length: 8 }, (_, k) => poissonPmf(k));
      const { stat, df } = chiSquare(histogram(c, 8), probs, resamples);
      expect(stat).toBeLessThan(chiSquareBound(df));
    }
    const mt = tot.reduce((a, b) => a + b, 0) / resamples;
    const vt = tot.reduce((a, b) => a + (b - mt) ** 2, 0) / (resamples - 1);
    expect(Math.abs(mt - 1000)).toBeLessThan((4 * Math.sqrt(1000)) / Math.sqrt(resamples));
    expect(vt / 1000).toBeGreaterThan(0.95);
    expect(vt / 1000).toBeLessThan(1.05);
  });

  it("the variance of the replicate mean is var(x) / n", () => {
    const n = 2000;
    const rng = createRng(5);
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = rng.exponential();
    let m = 0;
    for (const v of x) m += v;
    m /= n;
    let popVar = 0;
    for (const v of x) popVar += (v - m) ** 2;
    popVar /= n;
    for (const scheme of ["multinomial", "poisson"] as const) {
      const boot = bootstrapSums([x], { resamples: 4000, scheme, rng: createRng(9) });
      const reps = Array.from(boot.sums, (s, b) => s / boot.totals[b]!);
      const rm = reps.reduce((a, b) => a + b, 0) / reps.length;
      const rv = reps.reduce((a, b) => a + (b - rm) ** 2, 0) / (reps.length - 1);
      // The variance estimate from 4000 replicates has relative SE ~ sqrt(2 / 4000) = 2.2%.
      expect(rv / (popVar / n)).toBeGreaterThan(0.9);
      expect(rv / (popVar / n)).toBeLessThan(1.1);
      expect(Math.abs(rm - m)).toBeLessThan(4 * Math.sqrt(popVar / n / 4000));
    }
  });

  it("is reproducible from the seed, and the same counts weight every column", () => {
    const rng = createRng(1);
    const x = new Float64Array(1001).map(() => rng.normal());
    const y = new Float64Array(1001).map(() => rng.normal());
    const a = bootstrapSums([x], { resamples: 50, rng: createRng("s") });
    const b = bootstrapSums([x], { resamples: 50, rng: createRng("s") });
    const c = bootstrapSums([x], { resamples: 50, rng: createRng("t") });
    const d = bootstrapSums([x, y], { resamples: 50, rng: createRng("s") });
    expect(Array.from(a.sums)).toEqual(Array.from(b.sums));
    expect(Array.from(a.sums)).not.toEqual(Array.from(c.sums));
    for (let r = 0; r < 50; r++) expect(d.sums[r * 2]).toBeCloseTo(a.sums[r]!, 9);
  });

  it("one- and many-column runs draw the same counts across chunks of rows", () => {
    // n spans three 49,152-row chunks plus a partial group: the fused single-column pass and the
    // general pass must consume the stream in the same order.
    const n = 3 * 49_152 + 2;
    const rng = createRng(2);
    const x = new Float64Array(n).map(() => rng.normal());
    const ones = new Float64Array(n).fill(1);
    for (const scheme of ["multinomial", "poisson"] as const) {
      const a = bootstrapSums([x], { resamples: 4, scheme, rng: createRng("c") });
      const d = bootstrapSums([x, ones], { resamples: 4, scheme, rng: createRng("c") });
      for (let r = 0; r < 4; r++) {
        expect(d.sums[r * 2]).toBeCloseTo(a.sums[r]!, 7);
        expect(d.sums[r * 2 + 1]).toBe(a.totals[r]);
        expect(d.totals[r]).toBe(a.totals[r]);
      }
    }
  });

  it("validates its arguments", () => {
    expect(() => bootstrapSums([], { rng: createRng(1) })).toThrow(RangeError);
    expect(() => bootstrapSums([new Float64Array(2), new Float64Array(3)], { rng: createRng(1) })).toThrow(
      RangeError,
    );
    expect(() => bootstrapSums([new Float64Array(2)], { resamples: 0, rng: createRng(1) })).toThrow(
      RangeError,
    );
  });
});
