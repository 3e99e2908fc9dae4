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
 * const { value, cost } = headOptions("gbdt", 1);
 */
export function headOptions(
  base: BaseKind,
  seed: number,
): { value: HeadOptions; cost: HeadOptions; classifier: () => LogisticRegression } {
  const classifier = () => new LogisticRegression({ C: 1, standardize: true });
  if (base === "ridge") {
    return {
      value: { learner: () => new Ridge({ alpha: 1, standardize: true }) },
      cost: { learner: () => new Ridge({ alpha: 1, standardize: true }) },
      classifier,
    };
  }
  const shared = (x: import("@cia/core").DenseMatrix) => ({
    binMapper: BinMapper.fit(x, { maxBins: 255, seed }),
  });
  return {
    value: {
      learner: () =>
        new HistGradientBoosting({
          maxIter: 150,
          learningRate: 0.05,
          maxLeafNodes: 15,
          minSamplesLeaf: 80,
          l2Regularization: 1,
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
