export { buildProgram, main } from "./cli.js";
export { readExperimentTable } from "./io/experiment-table.js";
export type { ExperimentTable, RawFeature } from "./io/experiment-table.js";
