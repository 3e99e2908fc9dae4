export type { Learner, FitOptions, FittedModel, ModelJson } from "./learner.js";
export type { LearnersErrorCode } from "./error-codes.js";
export { BinMapper } from "./bin-mapper.js";
export type { BinMapperOptions, BinMapperJson, BinnedMatrix } from "./bin-mapper.js";
export type { GbdtLossName } from "./gbdt-loss.js";
export { HistGradientBoosting } from "./hist-gradient-boosting.js";
export type {
  HistGradientBoostingOptions,
  HistGradientBoostingFitOptions,
  EarlyStoppingOptions,
} from "./hist-gradient-boosting.js";
export { HistGradientBoostingModel } from "./hist-gradient-boosting-model.js";
export type { HistGradientBoostingJson } from "./hist-gradient-boosting-model.js";
export { Ridge } from "./ridge.js";
export type { RidgeOptions } from "./ridge.js";
export { LogisticRegression } from "./logistic-regression.js";
export type { LogisticRegressionOptions } from "./logistic-regression.js";
export { LinearModel } from "./linear-model.js";
export type { LinearModelJson } from "./linear-model.js";
export type { LinearDesignOptions } from "./linear-design.js";
export { loadModel, safeLoadModel } from "./load-model.js";
export { validateModelJson } from "./validate-model-json.js";
export type { ModelJsonValidation } from "./validate-model-json.js";
export { gbdtModelJsonSchema, linearModelJsonSchema } from "./validate-model-schema.js";
export { validateTreeStructure } from "./validate-tree-structure.js";
export type { TreeArrays } from "./validate-tree-structure.js";
export { invalidModelJson, modelJsonAt, modelJsonProblem } from "./validate-model-error.js";
export type { ModelJsonProblem } from "./validate-model-error.js";
export { formatJsonPath } from "./validate-json-path.js";
export { zodProblem } from "./validate-zod-problem.js";
