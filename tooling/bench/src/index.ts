export { measure } from "./measure.js";
export type { MeasureOptions, Measurement } from "./measure.js";
export { recordSuite, resultsDir, repoRoot } from "./record.js";
export type { SuiteResult, CaseResult } from "./record.js";
export { dataDir, hasData } from "./data-dir.js";
