export { buildProgram, main } from "./cli.js";
export { runPipeline } from "./run/run-pipeline.js";
export type { RunPipelineOptions } from "./run/run-pipeline.js";
export { runConfigSchema } from "./config/run-config-schema.js";
export type { RunConfig } from "./config/run-config-schema.js";
export type { RunConfigOverrides } from "./config/load-run-config.js";
export type { DataRunResult, DataPolicyResult } from "./run/data-run-result.js";
export type { Headline } from "./run/headline.js";
