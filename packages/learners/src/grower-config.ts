/**
 * What a tree grower, its histogram builder and its splitter are configured with (internal). One
 * config per fit; every tree of the fit is grown with it.
 */
export interface GrowerConfig {
  /** Feature-major bins, `binned[f * n + i]`. */
  binned: Uint8Array;
  n: number;
  p: number;
  /** Histogram slots per feature (maxBins + 1; the last one is the missing bin). */
  nBins: number;
  missingBin: number;
  nBinsNonMissing: Int32Array;
  hasMissing: Uint8Array;
  isCategorical: Uint8Array;
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  l2: number;
  learningRate: number;
  /** Hessian is 1 per unit weight: use the count channel as hessian and skip summing it. */
  constantHessian: boolean;
  /** Sample weights (count channel accumulates them) or null. */
  weights: Float64Array | null;
}
