import { BinMapper, HistGradientBoosting, LogisticRegression, Ridge } from "@cia/learners";
import type { HeadOptions } from "@cia/uplift";

/** Which base learner family `cia train --base` selects. */
export type BaseKind = "gbdt" | "ridge";

/**
 * Head settings for the value and cost heads. Value is the noisier, sparser label (lesson 3), so
 * its boosting is slower and more regularized (smaller learning rate, larger leaves, L2); cost is
 * denser and gets a lighter model. All fits of a head share one bin mapper, so bootstrap members
 * bin once.
 *
 * @example
 * const { value, cost } = headOptions("gbdt", 1, table.n);
 */
export function headOptions(
  base: BaseKind,
  seed: number,
  rows = 10_000,
): { value: HeadOptions; cost: HeadOptions; classifier: () => LogisticRegression } {
  const classifier = () => new LogisticRegression({ C: 1, standardize: true });
  if (base === "ridge") {
    return {
      value: { learner: () => new Ridge({ alpha: 1, standardize: true }) },
      cost: { learner: () => new Ridge({ alpha: 1, standardize: true }) },
      classifier,
    };
  }
  // Value effects are small against the outcome's noise (an effect of 2-4 against a standard
  // deviation near 18 in the default world): large leaves and few shallow trees keep the outcome
  // models from fitting noise that the effect models would then read as heterogeneity. Measured on
  // the default world at 12k units: the optimizer's true value at the heuristic's spend went from
  // below the heuristic (15 leaves of 80) to ~1.35x (5 leaves of 300).
  const valueLeaf = Math.max(20, Math.min(300, Math.round(rows / 30)));
  const shared = (x: import("@cia/core").DenseMatrix) => ({
    binMapper: BinMapper.fit(x, { maxBins: 255, seed }),
  });
  return {
    value: {
      learner: () =>
        new HistGradientBoosting({
          maxIter: 80,
          learningRate: 0.05,
          maxLeafNodes: 5,
          minSamplesLeaf: valueLeaf,
          l2Regularization: 10,
          seed,
        }),
      sharedFitOptions: shared,
    },
    cost: {
      learner: () =>
        new HistGradientBoosting({
          maxIter: 100,
          learningRate: 0.1,
          maxLeafNodes: 15,
          minSamplesLeaf: 40,
          seed,
        }),
      sharedFitOptions: shared,
    },
    classifier,
  };
}
