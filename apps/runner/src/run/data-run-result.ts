import type { Interval } from "@cia/core";
import type { ActionEffect, SampleRatioMismatch } from "@cia/experiment";
import type { LabelReport } from "@cia/logging-schema";
import type { PolicyEvaluation } from "@cia/ope";
import type { UpliftDiagnostics } from "@cia/uplift";
import type { Headline } from "./headline.js";
import type { QiniCurve } from "./qini-curves.js";
import type { RunResult } from "./run-result.js";

/** One candidate policy of a config run: its OPE on the holdout (there is no truth on real data). */
export interface DataPolicyResult {
  name: string;
  note: string;
  treated: number;
  /** What the model predicts for the same assignment, per holdout unit. */
  predictedValue: number;
  predictedCost: number;
  ope: PolicyEvaluation;
}

/** One point of the estimated value-for-spend frontier: a rule at a multiple of the budget, by DR on the holdout. */
export interface FrontierEstimate {
  budgetShare: number;
  budgetPerUnit: number;
  value: Interval;
  cost: Interval;
}

/** Everything `cia run --config` measured; report.json is this object. */
export interface DataRunResult {
  kind: "data";
  name: string;
  config: string;
  data: string;
  seed: string;
  /** Logged rows the run used (after `data.sample`), and how they were split. */
  units: number;
  rowsRead: number;
  trainUnits: number;
  holdoutUnits: number;
  /** Units in assignment.csv. */
  assignedUnits: number;
  actions: string[];
  /** What the run assumed about the data (cost rule, design, sample), printed on the report. */
  assumptions: string[];
  valueUnit: string;
  costUnit: string;
  labels: { learning: LabelReport; accounting: LabelReport } | null;
  srm: SampleRatioMismatch | null;
  effects: ActionEffect[];
  model: RunResult["model"];
  diagnostics: UpliftDiagnostics;
  qini: QiniCurve[];
  /** Total budget over the assigned units, and per unit. */
  budget: number;
  budgetPerUnit: number;
  guardrails: Record<string, number>;
  baseline: { name: string; rule: string };
  policies: DataPolicyResult[];
  frontier: { rule: string; points: FrontierEstimate[] };
  /** The recommended policy's name (also in `policies`), as in the simulated run. */
  recommended: string;
  decision: RunResult["decision"];
  headline: Headline;
  /** The recommended policy against the runner-up, paired on the holdout (null with one candidate). */
  runnerUp: { name: string; difference: Interval; distinguishable: boolean } | null;
  timings: Record<string, number>;
  seconds: number;
}
