// Public surface of @cia/logging-schema: an explicit list, reviewable in one place.

export { SCHEMA_VERSION } from "./schema-version.js";

export {
  decisionSchema,
  designKindSchema,
  featureValueSchema,
  PROBABILITY_TOLERANCE,
} from "./decision-schema.js";
export type { Decision, DesignKind, FeatureValue } from "./decision-schema.js";
export { realizedTreatmentSchema, treatmentEventSchema } from "./realized-treatment-schema.js";
export type { RealizedTreatment, TreatmentEvent } from "./realized-treatment-schema.js";
export { outcomeEventSchema, outcomeKindSchema, costDefinitionSchema } from "./outcome-event-schema.js";
export type { OutcomeEvent, OutcomeKind, CostDefinition } from "./outcome-event-schema.js";
export { concurrentAssignmentSchema } from "./concurrent-assignment-schema.js";
export type { ConcurrentAssignment } from "./concurrent-assignment-schema.js";
export {
  featureContractSchema,
  featureSpecSchema,
  numericFeatureSchema,
  categoricalFeatureSchema,
  booleanFeatureSchema,
  featureTransformSchema,
  numericMissingPolicySchema,
  categoricalMissingPolicySchema,
  booleanMissingPolicySchema,
} from "./feature-contract-schema.js";
export type {
  FeatureContract,
  FeatureSpec,
  NumericFeatureSpec,
  CategoricalFeatureSpec,
  BooleanFeatureSpec,
  FeatureTransform,
} from "./feature-contract-schema.js";

export { zodIssuesToDataIssues } from "./to-data-issues.js";
export type { IssueLocation } from "./to-data-issues.js";
export type { ParseResult } from "./parse-result.js";
export {
  safeParseRecord,
  parseDecision,
  safeParseDecision,
  parseRealizedTreatment,
  safeParseRealizedTreatment,
  parseOutcomeEvent,
  safeParseOutcomeEvent,
  parseConcurrentAssignment,
  safeParseConcurrentAssignment,
  parseFeatureContract,
  safeParseFeatureContract,
} from "./parse-records.js";
export { parseDecisions, safeParseDecisions } from "./parse-decisions.js";
export { canonicalJson } from "./canonical-json.js";
export { featureContractHash } from "./feature-contract-hash.js";

export { readRecords } from "./read-records.js";
export type {
  ReadMode,
  ReadOptions,
  ReadSummary,
  LineRecord,
  RecordReader,
  RowValidator,
  RejectedRow,
} from "./read-records.js";
export type { TableFormat } from "./raw-rows.js";
export {
  readDecisions,
  readOutcomeEvents,
  readRealizedTreatments,
  readConcurrentAssignments,
} from "./log-readers.js";
export type { UniqueIdReadOptions } from "./log-readers.js";
export {
  writeDecisions,
  writeOutcomeEvents,
  writeRealizedTreatments,
  writeConcurrentAssignments,
} from "./log-writers.js";
export type { WriteOptions, WriteSummary } from "./log-writers.js";
export { readTable } from "./read-table.js";
export type { ReadTableOptions, TableRow } from "./read-table.js";
export { writeTable } from "./write-table.js";
export type { WriteTableOptions } from "./write-table.js";
export { writeFileAtomic } from "./write-file-atomic.js";
export type { FileContent } from "./write-file-atomic.js";

export { EXPERIMENT_TABLE_COLUMNS } from "./experiment-table.js";
export { experimentHeader } from "./experiment-header.js";
export type { ExperimentHeaderIssue } from "./experiment-header.js";
export type { ExperimentTable, ExperimentTableColumn, RawFeature } from "./experiment-table.js";
export { readExperimentTable, safeReadExperimentTable } from "./read-experiment-table.js";
export type { ReadExperimentTableOptions } from "./read-experiment-table.js";
export { isMissingCell } from "./missing-cell.js";
export { featureRows } from "./feature-rows.js";
export { selectExperimentRows } from "./select-experiment-rows.js";
export { reindexActions } from "./reindex-actions.js";

export {
  applyFeatureContract,
  featureColumnNames,
  DEFAULT_PASSTHROUGH_COLUMNS,
} from "./apply-feature-contract.js";
export type {
  ApplyFeatureContractOptions,
  FeatureMatrix,
  FeatureMonitoring,
} from "./apply-feature-contract.js";
export { compileFeatureContract } from "./compile-feature-contract.js";
export type { CompiledFeatureContract } from "./compile-feature-contract.js";
export { inferFeatureContract } from "./infer-feature-contract.js";
export type { InferFeatureContractOptions } from "./infer-feature-contract.js";

export { buildExperimentTable, buildHorizonTables } from "./build-experiment-table.js";
export type {
  AttributionRule,
  BuildExperimentTableOptions,
  BuildHorizonTablesOptions,
  ExperimentTableRow,
  LabelBuildResult,
  LabelReport,
} from "./build-experiment-table.js";
export { validateLogConsistency } from "./validate-log-consistency.js";
export type { LogSet } from "./validate-log-consistency.js";

export { jsonSchemas, jsonSchemaFiles } from "./json-schemas.js";

export type { LoggingSchemaErrorCode, LoggingSchemaIssueCode } from "./error-codes.js";
