import type { ActionEffect, SampleRatioMismatch } from "@cia/experiment";
import type { LabelReport } from "@cia/logging-schema";
import type { PolicyEvaluation } from "@cia/ope";
import type { PropensityReport, UpliftDiagnostics } from "@cia/uplift";
import type { PacingPath } from "./pacing-simulation.js";

/** One candidate policy: its true incremental value and cost per holdout unit, and its OPE. */
export interface PolicyResult {
  name: string;
  note: string;
  treated: number;
  /** Simulator truth: incremental value and cost per unit against no offer. */
  trueValue: number;
  trueCost: number;
  /** What the model predicts for the same assignment. */
  predictedValue: number;
  predictedCost: number;
  ope: PolicyEvaluation;
}

/** Everything `cia run` measured; report.json is this object. */
export interface RunResult {
  world: string;
  seed: string;
  units: number;
  trainUnits: number;
  holdoutUnits: number;
  actions: string[];
  labels: LabelReport;
  srm: SampleRatioMismatch;
  effects: ActionEffect[];
  model: {
    learner: string;
    base: string;
    bootstraps: number;
    contractHash: string;
    propensity: PropensityReport;
  };
  diagnostics: UpliftDiagnostics;
  /** Budget per holdout unit: the heuristic's true incremental cost. */
  budget: number;
  policies: PolicyResult[];
  oracle: { value: number; cost: number };
  frontier: {
    budgetShare: number;
    optimizerValue: number;
    optimizerCost: number;
    oracleValue: number;
    oracleCost: number;
  }[];
  pacing: { days: number; unitsPerDay: number; budget: number; paths: PacingPath[] };
  timings: Record<string, number>;
  seconds: number;
}
