export { trainCiaModel, modelInputs, scoreCiaModel } from "./cia-model.js";
export type { CiaModel, CiaModelFile, TrainOptions } from "./cia-model.js";
export { loadCiaModel, parseCiaModel, safeLoadCiaModel } from "./load-cia-model.js";
export type { LoadCiaModelOptions } from "./load-cia-model.js";
export { validateCiaModelFile, ciaModelFileSchema } from "./validate-cia-model-file.js";
export { ciaModelChecksum, sealCiaModelFile } from "./cia-model-checksum.js";
export { headOptions } from "./base-learners.js";
export type { BaseKind } from "./base-learners.js";
export type { ModelErrorCode } from "./error-codes.js";
