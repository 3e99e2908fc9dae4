export { trainCiaModel, loadCiaModel, modelInputs, scoreCiaModel } from "./cia-model.js";
export type { CiaModel, CiaModelFile, TrainOptions } from "./cia-model.js";
export { headOptions } from "./base-learners.js";
export type { BaseKind } from "./base-learners.js";
export type { ModelErrorCode } from "./error-codes.js";
