export type { OptimizerErrorCode } from "./error-codes.js";
export { createCandidates } from "./candidates.js";
export type { Candidates, CandidatesInput } from "./candidates.js";
export { safeCreateCandidates } from "./safe-create-candidates.js";
export type { CandidatesResult } from "./safe-create-candidates.js";
export { candidatesFromMatrix } from "./candidates-from-matrix.js";
export type { CandidateMatrixInput } from "./candidates-from-matrix.js";
export { candidatesFromRows } from "./candidates-from-rows.js";
export type { CandidateRow, NamedCandidates } from "./candidates-from-rows.js";
export type { AllocationOptions, ScopedCap, RiskOption } from "./allocation-options.js";
export { pruneCandidates, PRUNE_STATUS } from "./prune-candidates.js";
export type { PruneCounts, PruneResult } from "./prune-candidates.js";
export { efficiencyRanking } from "./efficiency-ranking.js";
export type { EfficiencyRanking } from "./efficiency-ranking.js";
export { allocate } from "./allocate.js";
export { AllocationStream } from "./allocation-stream.js";
export type { AllocationStreamOptions, UnitChunk } from "./allocation-stream.js";
export { allocateWithLambda } from "./allocate-with-lambda.js";
export { allocateFromMatrix } from "./allocate-from-matrix.js";
export { upliftRankingPolicy } from "./uplift-ranking-policy.js";
export type { EffectMatrixInput, UpliftRankingOptions } from "./uplift-ranking-policy.js";
export { constantActions } from "./constant-actions.js";
export type { LambdaAllocationOptions } from "./allocate-with-lambda.js";
export type {
  AllocationResult,
  AllocationTotals,
  ConstraintReport,
  FractionalReport,
  CertificateReport,
} from "./allocation-result.js";
export { allocationSummary } from "./allocation-summary.js";
export type { AllocationSummary } from "./allocation-summary.js";
export { npvScores } from "./npv-scores.js";
export { solveExact } from "./solve-exact.js";
export type { ExactOptions, ExactResult } from "./solve-exact.js";
export { calibrateBudget, spendByCriterion } from "./calibrate-budget.js";
export type { CalibrateBudgetOptions, CalibratedBudget, SpendCriterion } from "./calibrate-budget.js";
