import type { ActionEffect, SampleRatioMismatch } from "@cia/experiment";
import type { LabelReport } from "@cia/logging-schema";
import type { PolicyEvaluation } from "@cia/ope";
import type { PropensityReport, UpliftDiagnostics } from "@cia/uplift";
import type { Interval } from "@cia/core";
import type { PacingPath } from "./pacing-simulation.js";
import type { Headline } from "./headline.js";
import type { QiniCurve } from "./qini-curves.js";

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
  /** The recommended policy's name (also in `policies`): the decision layer's verdict. */
  recommended: string;
  /** How the recommendation was reached (issue 16's decision layer). */
  decision: {
    recommended: string;
    /** True when no candidate beat the baseline with confidence and the baseline was kept. */
    fallback: boolean;
    reason: string;
    /** Two-sided level of the value intervals (the lower bound is one-sided at (1 + level) / 2). */
    level: number;
    spendCriterion: string;
    /** Logged units behind the decision's OPE (holdout plus out-of-fold training rows). */
    evaluationUnits: number;
    candidates: {
      name: string;
      handedBudgetPerUnit: number;
      predictedSpendPerUnit: number;
      opeSpendPerUnit: Interval;
      valueVsBaseline: Interval;
      spendWarning: string | null;
      calibrationIterations: number;
    }[];
  };
  pacing: { days: number; unitsPerDay: number; budget: number; paths: PacingPath[] };
  timings: Record<string, number>;
  seconds: number;
  /** The report's headline (what to do, for whom, value and cost with intervals, against the heuristic). */
  headline?: Headline;
  /** Qini curves per offer on the holdout. */
  qini?: QiniCurve[];
}
