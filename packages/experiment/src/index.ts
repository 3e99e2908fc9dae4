// Public surface of @cia/experiment: an explicit list, reviewable in one place.

// Hashing and deterministic assignment
export { murmur3x86_32, murmur3Prefixed, murmur3String } from "./murmur3.js";
export { assignmentBucket, assignmentBuckets, BUCKET_COUNT, HASH_SEPARATOR } from "./assignment-hash.js";
export { bucketMap, actionForBucket } from "./bucket-map.js";
export type { BucketMap } from "./bucket-map.js";

// Eligibility
export { parseEligibilityRules, safeParseEligibilityRules } from "./eligibility-rule.js";
export type { ComparisonOp, EligibilityRule, RuleExpr, RuleValue } from "./eligibility-rule.js";
export { tableFromMatrix } from "./eligibility-table.js";
export type { CodedColumn, EligibilityColumn, EligibilityTable } from "./eligibility-table.js";
export { evaluateEligibility } from "./evaluate-eligibility.js";
export type { EligibilityResult, RuleCount } from "./evaluate-eligibility.js";

// Designs
export type { Design, DesignContext, DesignJson, DesignKind } from "./design.js";
export { uniformDesign } from "./uniform-design.js";
export { stratifiedDesign } from "./stratified-design.js";
export { warmStartDesign } from "./warm-start-design.js";
export { designFromJSON } from "./design-from-json.js";

// Coordination: holdout and layers; assignment and logging
export { experimentPlan } from "./experiment-plan.js";
export type {
  ExperimentPlan,
  ExperimentPlanSpec,
  Holdout,
  Layer,
  LayerSlot,
  Routing,
} from "./experiment-plan.js";
export { assignProgram, ASSIGNMENT_STATUS } from "./assign-program.js";
export type { ProgramAssignment } from "./assign-program.js";
export { decisionRecords } from "./decision-records.js";
export type { DecisionRecordOptions } from "./decision-records.js";
export { concurrentAssignmentRecords } from "./concurrent-assignments.js";

// Deployed-policy exploration: recommended action mixed with exploration, deterministic draws
export { drawExploredAction, explorationDistribution, EXPLORATION_PROGRAM } from "./exploration-policy.js";
export type { ExplorationSettings } from "./exploration-policy.js";
export { explorationBudget } from "./exploration-budget.js";
export type { ExplorationBudget, ExplorationBudgetInput } from "./exploration-budget.js";
export { loggedActionProbabilities } from "./exploration-log.js";
export { explorationSupport } from "./exploration-support.js";
export type { ActionExploration, ExplorationSupport } from "./exploration-support.js";

// Readouts
export { hajekMean } from "./hajek-mean.js";
export type { HajekEstimate } from "./hajek-mean.js";
export { averageEffects } from "./average-effects.js";
export type {
  ActionEffect,
  AverageEffectsOptions,
  EffectEstimate,
  RatioEstimate,
} from "./average-effects.js";
export { sampleRatioMismatch, countActions, expectedActionCounts } from "./sample-ratio-mismatch.js";
export type { SampleRatioMismatch } from "./sample-ratio-mismatch.js";
export { chiSquareCdf, chiSquareSf, regularizedGammaP, regularizedGammaQ } from "./chi-square.js";
export { minimumDetectableEffect, supportReport } from "./support-report.js";
export type { CellSupport, SupportOptions, SupportReport } from "./support-report.js";
export type { ExperimentErrorCode, ExperimentIssueCode, ExperimentIssue } from "./error-codes.js";
