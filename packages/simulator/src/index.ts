export { createWorld } from "./create-world.js";
export { presetParams, worldNames } from "./world-params.js";
export type {
  ChannelSpec,
  DriftParams,
  InterferenceParams,
  PerLifecycle,
  WorldName,
  WorldOptions,
  WorldParams,
} from "./world-params.js";
export { LIFECYCLES } from "./world-types.js";
export type {
  ActionSpec,
  AssignmentDesign,
  ExperimentLog,
  Lifecycle,
  OracleResult,
  PolicyMatrix,
  PolicyValue,
  Population,
  SimulatedEvents,
  SimulatedLog,
  Truth,
  World,
} from "./world-types.js";
export { FEATURE_NAMES } from "./sample-population.js";
export { oracleAllocation } from "./oracle-allocation.js";
export { exactPolicyValue } from "./exact-policy-value.js";
export { deterministicPolicy, epsilonGreedy, policyDesign, uniformDesign } from "./assignment-designs.js";
export { inactivityHeuristic } from "./inactivity-heuristic.js";
export { experimentTableColumns, experimentTableRows } from "./experiment-table.js";
export type { ExperimentTableOptions, ExperimentTableRow } from "./experiment-table.js";
export { truthRows } from "./truth-rows.js";
export type { TruthRow } from "./truth-rows.js";
export { decisionId, logRecords } from "./log-records.js";
export type {
  ConcurrentAssignmentRecord,
  DecisionRecord,
  LogRecordOptions,
  LogRecords,
  OutcomeEventRecord,
  RealizedTreatmentRecord,
} from "./log-records.js";
export type { SimulatorErrorCode } from "./error-codes.js";
