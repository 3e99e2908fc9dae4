// Public surface of @cia/serve: an explicit list, reviewable in one place.

export { policyManifestSchema, POLICY_MANIFEST_FILE } from "./policy-manifest.js";
export type { PolicyManifest } from "./policy-manifest.js";
export { writePolicyBundle } from "./write-policy-bundle.js";
export type { PolicyBundleInput } from "./write-policy-bundle.js";
export { loadPolicyBundle } from "./load-policy-bundle.js";
export type { PolicyBundle } from "./load-policy-bundle.js";

export { decideTable, solvePolicyLambda } from "./decision-rule.js";
export { deployPolicy } from "./deploy-policy.js";
export type { DeployPolicyOptions, DeployedPolicy } from "./deploy-policy.js";
export type { DecisionRule, DecideOptions, TableDecisions } from "./decision-rule.js";
export { parseDecideBody, requestTable } from "./decide-request.js";
export type {
  DecideBodySpec,
  DecideRequestItem,
  ParsedDecideBody,
  RequestIssue,
} from "./decide-request.js";

export { DecisionLog } from "./decision-log.js";
export type {
  CommitInfo,
  DecisionLogOptions,
  DecisionLogSettings,
  DecisionLogStats,
} from "./decision-log.js";
export { BudgetGuard } from "./budget-guard.js";
export type { BudgetGuardOptions, BudgetGuardState, SpendReport } from "./budget-guard.js";
export { createServeMetrics } from "./serve-metrics.js";
export type { MetricsSources, ServeMetrics } from "./serve-metrics.js";
export { createPolicyServer } from "./policy-server.js";
export type { DecideResponse, PolicyServer, PolicyServerOptions } from "./policy-server.js";

export type { ServeErrorCode, ServeRequestErrorCode } from "./error-codes.js";
