export { kaplanMeier } from "./kaplan-meier.js";
export type { KaplanMeierCurve } from "./kaplan-meier.js";
export { RedemptionTiming, fitRedemptionTiming, safeFitRedemptionTiming } from "./redemption-timing.js";
export type {
  RedemptionHistory,
  RedemptionTimingOptions,
  RedemptionTimingJSON,
} from "./redemption-timing.js";
export { segmentKey } from "./segment-key.js";
export type { SegmentParts } from "./segment-key.js";
export { CostBias, fitCostBias, safeFitCostBias } from "./cost-bias.js";
export type { CostCohort, CostBiasOptions, CostBiasJSON, SegmentBias } from "./cost-bias.js";
export { expectedRemainingLiability } from "./remaining-liability.js";
export type { OpenCohort, RemainingLiabilityOptions, RemainingLiability } from "./remaining-liability.js";
export { todaysBudget, safeTodaysBudget } from "./todays-budget.js";
export type { TodaysBudgetInput, TodaysBudget } from "./todays-budget.js";
export { LambdaController } from "./lambda-controller.js";
export type { LambdaControllerOptions, LambdaControllerState } from "./lambda-controller.js";
export { Pacer } from "./pacer.js";
export type { PacerOptions, PacingPlan, OfferLedger } from "./pacer.js";
export { simulatePeriod } from "./simulate-period.js";
export type {
  PeriodPacingStrategy,
  PeriodOffers,
  PeriodDay,
  PeriodDayOffers,
  PeriodWorld,
  SimulatePeriodOptions,
  SimulatedDay,
  SimulatedPeriod,
} from "./simulate-period.js";
export type { PacerErrorCode, PacerIssueCode, PacerIssue } from "./error-codes.js";
