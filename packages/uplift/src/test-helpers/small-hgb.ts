import { HistGradientBoosting } from "@cia/learners";

/**
 * A small, fast, deterministic histogram-boosting base learner for tests (50 rounds, 15 leaves, no
 * early stopping, seed 0).
 *
 * @example
 * fitUplift(data, { learner: "x", value: { learner: smallHgb } });
 */
export const smallHgb = (): HistGradientBoosting =>
  new HistGradientBoosting({
    maxIter: 50,
    learningRate: 0.1,
    maxLeafNodes: 15,
    earlyStopping: false,
    seed: 0,
  });
