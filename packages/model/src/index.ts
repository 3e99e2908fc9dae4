export { trainCiaModel, modelInputs, scoreCiaModel } from "./cia-model.js";
export type { CiaModel, CiaModelFile, TrainOptions } from "./cia-model.js";
export { loadCiaModel, parseCiaModel, safeLoadCiaModel } from "./load-cia-model.js";
export type { LoadCiaModelOptions } from "./load-cia-model.js";
export { validateCiaModelFile, ciaModelFileSchema } from "./validate-cia-model-file.js";
export { ciaModelChecksum, sealCiaModelFile } from "./cia-model-checksum.js";
export { headOptions } from "./base-learners.js";
export type { BaseKind } from "./base-learners.js";
export type { ModelErrorCode } from "./error-codes.js";
export { compileCiaModel } from "./compiled-cia-model.js";
export type { CompiledCiaModel } from "./compiled-cia-model.js";
// Moved to @cia/logging-schema (beside applyFeatureContract, whose per-value rules it shares);
// re-exported so existing imports keep working.
export { compileFeatureContract } from "@cia/logging-schema";
export type { CompiledFeatureContract } from "@cia/logging-schema";
export { compileUpliftPredictor } from "./compiled-uplift-predictor.js";
export type { CompiledUpliftPredictor } from "./compiled-uplift-predictor.js";
