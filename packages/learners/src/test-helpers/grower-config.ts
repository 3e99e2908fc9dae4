import type { GrowerConfig } from "../grower-config.js";

/**
 * A small grower config for unit tests: `bins[f][i]` is row i's bin in feature f (use
 * `missingBin` for a missing value); every feature numeric unless listed in `categorical`.
 */
export function growerConfig(
  bins: number[][],
  options: Partial<Omit<GrowerConfig, "binned" | "n" | "p">> & { categorical?: number[] } = {},
): GrowerConfig {
  const p = bins.length;
  const n = bins[0]!.length;
  const nBins = options.nBins ?? 9;
  const missingBin = options.missingBin ?? nBins - 1;
  const binned = new Uint8Array(n * p);
  const nBinsNonMissing = new Int32Array(p);
  const hasMissing = new Uint8Array(p);
  for (let f = 0; f < p; f++)
    for (let i = 0; i < n; i++) {
      const b = bins[f]![i]!;
      binned[f * n + i] = b;
      if (b === missingBin) hasMissing[f] = 1;
      else nBinsNonMissing[f] = Math.max(nBinsNonMissing[f]!, b + 1);
    }
  const isCategorical = new Uint8Array(p);
  for (const f of options.categorical ?? []) isCategorical[f] = 1;
  return {
    binned,
    n,
    p,
    nBins,
    missingBin,
    nBinsNonMissing: options.nBinsNonMissing ?? nBinsNonMissing,
    hasMissing: options.hasMissing ?? hasMissing,
    isCategorical: options.isCategorical ?? isCategorical,
    maxLeafNodes: options.maxLeafNodes ?? 31,
    maxDepth: options.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    minHessianLeaf: options.minHessianLeaf ?? 1e-3,
    l2: options.l2 ?? 0,
    learningRate: options.learningRate ?? 1,
    constantHessian: options.constantHessian ?? true,
    weights: options.weights ?? null,
  };
}

/** Deterministic pseudo-random bins in [0, nonMissing) for p features and n rows. */
export function randomBins(n: number, p: number, nonMissing: number, seed: number): number[][] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: p }, () => Array.from({ length: n }, () => Math.floor(next() * nonMissing)));
}
