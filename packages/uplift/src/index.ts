export { fitUplift } from "./fit-uplift.js";
export type { UpliftOptions } from "./fit-uplift.js";
export { UpliftModel } from "./uplift-model.js";
export type { UpliftMember, SegmentReport, UpliftModelJson, UpliftPredictOptions } from "./uplift-model.js";
export type { UpliftPrediction } from "./uplift-prediction.js";
export { loadUpliftModel, safeLoadUpliftModel } from "./load-uplift-model.js";
export { validateUpliftData, safeValidateUpliftData } from "./uplift-data.js";
export type { UpliftData, CheckedUpliftData, SafeUpliftDataResult } from "./uplift-data.js";
export { META_LEARNER_KINDS } from "./meta-learner-kind.js";
export type { MetaLearnerKind } from "./meta-learner-kind.js";
export type { LearnerFactory, SharedFitOptions, ModelLoader, HeadOptions } from "./learner-factory.js";
export { fitEffectHead } from "./fit-effect-head.js";
export type { EffectHeadInput, EffectHeadOptions, MetaLearnerSettings } from "./effect-head-input.js";
export { EffectHead } from "./effect-head.js";
export type { EffectHeadJson, XCombine } from "./effect-head.js";
export { fitPairwisePropensity, PairwiseWeightModel } from "./pairwise-propensity.js";
export type {
  PropensityOptions,
  PropensityReport,
  PairwiseWeightJson,
  PairwisePropensityFit,
} from "./pairwise-propensity.js";
export { cpiv, cpi } from "./efficiency.js";
export { upliftCurves, auucScore, qiniScore } from "./uplift-curves.js";
export type { UpliftCurveInput, UpliftCurves } from "./uplift-curves.js";
export { hajekUplift } from "./hajek-uplift.js";
export type { IpwEstimate } from "./hajek-uplift.js";
export { effectItems, atItems } from "./effect-items.js";
export type { EffectItems } from "./effect-items.js";
export { calibrationByBins } from "./calibration-by-bins.js";
export type { CalibrationBin, CalibrationResult, LoggedOutcome } from "./calibration-by-bins.js";
export { rankingMonotonicity, countInversions } from "./ranking-monotonicity.js";
export type { EfficiencyBin, RankingMonotonicityResult, LoggedValueCost } from "./ranking-monotonicity.js";
export { rankAgreement, rankStability } from "./rank-stability.js";
export type { RankAgreement, StabilitySummary } from "./rank-stability.js";
export { splitStability, columnsOf } from "./split-stability.js";
export type { SplitStabilityResult, RankStabilityReport } from "./split-stability.js";
export { costCurve } from "./cost-curve.js";
export type { CostCurve } from "./cost-curve.js";
export { diagnoseUplift, diagnosePredictions } from "./diagnose-uplift.js";
export type { DiagnosticsHoldout, UpliftDiagnostics, ArmUpliftScores } from "./diagnose-uplift.js";
export type { UpliftErrorCode, UpliftIssueCode } from "./error-codes.js";
export {
  PooledEffectHead,
  catalogueAttributes,
  fitPooledCostHead,
  fitPooledValueHead,
} from "./pooled-effect-head.js";
export type {
  PooledEffectHeadJson,
  PooledCostHeadInput,
  PooledValueHeadInput,
  PooledHeadOptions,
} from "./pooled-effect-head.js";
export { validateUpliftModelJson, upliftModelJsonSchema } from "./validate-uplift-model-json.js";
export { validateEffectHeadJson, effectHeadJsonSchema } from "./validate-effect-head-json.js";
export type { JsonValidation } from "./validate-effect-head-json.js";
export { validatePooledEffectHeadJson, pooledEffectHeadJsonSchema } from "./validate-pooled-head-json.js";
