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
export { canonicalJson } from "./canonical-json.js";
export { featureContractHash } from "./feature-contract-hash.js";
