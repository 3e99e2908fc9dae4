export { ESTIMATOR_NAMES, MODEL_BASED_ESTIMATORS } from "./types.js";
export type { OpeErrorCode, OpeIssue, OpeIssueCode } from "./error-codes.js";
export type {
  Estimate,
  EstimatorInputs,
  EstimatorName,
  EstimatorOptions,
  RoundwiseEstimate,
} from "./types.js";
export { validateEstimatorInputs, assertValidEstimatorInputs } from "./validate-inputs.js";
export { importanceWeights } from "./importance-weights.js";
export { directMethod } from "./direct-method.js";
export { ips } from "./ips.js";
export { snips } from "./snips.js";
export { doublyRobust } from "./doubly-robust.js";
export { selfNormalizedDoublyRobust } from "./self-normalized-doubly-robust.js";
export { switchDoublyRobust } from "./switch-doubly-robust.js";
export { estimatePolicyValue } from "./estimate-policy-value.js";
export { policyFromActions, constantPolicy } from "./policy-matrix.js";
export { bootstrapSums } from "./bootstrap-sums.js";
export type { BootstrapScheme, BootstrapSums } from "./bootstrap-sums.js";
export { bootstrapMeanInterval } from "./bootstrap-mean-interval.js";
export type { BootstrapOptions } from "./bootstrap-mean-interval.js";
export {
  baggedBootstrap,
  baggedEstimates,
  baggedSums,
  bagOf,
  replicateHash,
  poissonThresholds,
  BAGGED_HASH,
} from "./bagged-bootstrap.js";
export type { BaggedBootstrap, BaggedBootstrapOptions, BaggedSums } from "./bagged-bootstrap.js";
export { normalMeanInterval } from "./normal-mean-interval.js";
export { weightDiagnostics } from "./weight-diagnostics.js";
export type { WeightDiagnostics } from "./weight-diagnostics.js";
export { findSupportViolations, assertSupport } from "./check-support.js";
export type { SupportInputs, SupportViolation } from "./check-support.js";
export { realizedTreatment } from "./realized-treatment.js";
export type { RealizedTreatmentInputs } from "./realized-treatment.js";
export { evaluatePolicy, safeEvaluatePolicy } from "./evaluate-policy.js";
export { fitRewardModel } from "./fit-reward-model.js";
export type { FitRewardModelOptions, RewardModelInputs } from "./fit-reward-model.js";
export type {
  Comparison,
  EvaluatePolicyOptions,
  HeadEstimates,
  IntervalOptions,
  IntervalScheme,
  IntervalSettings,
  OpeData,
  PolicyEstimates,
  PolicyEvaluation,
  RatioEstimate,
  RewardModels,
} from "./evaluate-policy-types.js";
export { selectPolicy } from "./select-policy.js";
export type { PolicyCandidate, PolicySelection } from "./select-policy.js";
