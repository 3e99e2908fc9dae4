import { CiaError, type DataIssue } from "@cia/core";
import { bucketMap, drawExploredAction, explorationDistribution } from "@cia/experiment";
import type { ExperimentTable } from "@cia/logging-schema";
import { type CiaModel, scoreCiaModel } from "@cia/model";
import {
  type LambdaAllocationOptions,
  allocate,
  allocateWithLambda,
  candidatesFromMatrix,
} from "@cia/optimizer";
import type { AllocationResult, Candidates } from "@cia/optimizer";
import type { ServeErrorCode } from "./error-codes.js";
import type { PolicyManifest } from "./policy-manifest.js";

/**
 * The per-unit rule of a deployed policy, the one both `cia deploy` (batch) and `cia serve`
 * (online) apply, so the two give the same action for the same unit and features: the model,
 * the actions it may choose, the guardrails and the exploration settings.
 */
export interface DecisionRule {
  model: CiaModel;
  /** 0/1 over the model's actions; index 0 (no offer) must be 1. */
  enabled: Uint8Array;
  guardrails: PolicyManifest["guardrails"];
  exploration: PolicyManifest["exploration"];
}

/** Options of {@link decideTable}. */
export interface DecideOptions {
  /** The budget multiplier: each unit's recommendation is argmax_a tau_value - lambda * tau_cost. */
  lambda: number;
  /** Hard stop (today's budget is spent): every unit gets no offer, with propensity 1. */
  stopped?: boolean | undefined;
  /** `refuse` (default): any feature-contract issue throws; `report`: rows with issues get rowOk 0. */
  mode?: "refuse" | "report" | undefined;
  /** Per-unit eligibility, n x K 0/1 (ANDed with the rule's enabled actions; no offer stays eligible). */
  eligible?: Uint8Array | undefined;
}

/** What {@link decideTable} chose for every unit. */
export interface TableDecisions {
  n: number;
  nActions: number;
  /** The action drawn after exploration (0 = no offer). */
  action: Int32Array;
  /** The deterministic recommendation argmax_a (tau_value - lambda * tau_cost), before exploration. */
  recommended: Int32Array;
  /** The exact probability the drawn action had (what is logged). */
  propensity: Float64Array;
  /** n x K: each unit's whole action distribution (exact bucket probabilities). */
  probabilities: Float64Array;
  /** n x K: the actions each unit could get (what exploration spread over). */
  eligible: Uint8Array;
  /** n x K predicted incremental cost (null for a value-only model). */
  tauCost: Float64Array | null;
  /** n x K predicted incremental value. */
  tauValue: Float64Array;
  /** 1 when the row satisfied the feature contract (report mode; rows with 0 are no offer, unlogged). */
  rowOk: Uint8Array;
  issues: DataIssue[];
  issueCount: number;
}

function ruleError(message: string, details: Record<string, unknown> = {}) {
  return new CiaError<ServeErrorCode>("invalid_input", message, details);
}

/** The guardrails as the optimizer's options (shared by the batch solve and every decision). */
function guardrailOptions(rule: Pick<DecisionRule, "guardrails">): LambdaAllocationOptions {
  const g = rule.guardrails;
  const o: LambdaAllocationOptions = {};
  if (g.max_cost_per_value !== null) o.maxCostPerValue = g.max_cost_per_value;
  if (g.min_value_per_cost !== null) o.minValuePerCost = g.min_value_per_cost;
  if (g.risk_lower) o.risk = "lower";
  return o;
}

/** The unit x action eligibility mask: enabled actions, the caller's mask, rows that passed the contract. */
function eligibility(
  rule: Pick<DecisionRule, "enabled">,
  n: number,
  k: number,
  rowOk: Uint8Array,
  mask: Uint8Array | undefined,
): Uint8Array {
  if (rule.enabled.length !== k || rule.enabled[0] !== 1)
    throw ruleError(`enabled actions must be a 0/1 mask of length ${k} with no offer (index 0) enabled`);
  if (mask !== undefined && mask.length !== n * k)
    throw ruleError(`eligible must have n x K = ${n * k} entries, got ${mask.length}`);
  const out = new Uint8Array(n * k);
  for (let i = 0; i < n; i++) {
    const ok = rowOk[i] === 1;
    out[i * k] = 1;
    for (let a = 1; a < k; a++) {
      const j = i * k + a;
      out[j] = ok && rule.enabled[a] === 1 && (mask === undefined || mask[j] === 1) ? 1 : 0;
    }
  }
  return out;
}

/**
 * The model scores a decision reads: n x K effects (`scoreCiaModel`'s prediction, or the compiled
 * model's rows) and, with bootstrap members, the value's lower band for `risk_lower`.
 */
export type RuleScores = Pick<
  ReturnType<typeof scoreCiaModel>["prediction"],
  "n" | "nActions" | "tauValue" | "tauCost" | "intervals"
>;

function candidatesOf(p: RuleScores, eligible: Uint8Array): Candidates {
  const k = p.nActions;
  return candidatesFromMatrix({
    nUnits: p.n,
    nActions: k,
    tauValue: p.tauValue,
    tauCost: p.tauCost ?? new Float64Array(p.n * k),
    eligible,
    tauValueLower: p.intervals?.tauValueLower,
  });
}

/**
 * The batch solve: score the table and allocate it under `budget` (a total over its units) with
 * the rule's guardrails; the allocation's shadow price `totals.lambda` is what the deployed policy
 * applies per unit. Exploration is not part of the solve.
 *
 * @example
 * const { lambda } = solvePolicyLambda(rule, table, 5000);
 */
export function solvePolicyLambda(
  rule: Pick<DecisionRule, "model" | "enabled" | "guardrails">,
  table: ExperimentTable,
  budget: number,
): { lambda: number; allocation: AllocationResult } {
  if (!(budget >= 0))
    throw new CiaError<ServeErrorCode>("invalid_option", `budget must be >= 0, got ${budget}`);
  const { prediction, rowOk } = scoreCiaModel(rule.model, table, { mode: "refuse" });
  const eligible = eligibility(rule, prediction.n, prediction.nActions, rowOk, undefined);
  const allocation = allocate(candidatesOf(prediction, eligible), { budget, ...guardrailOptions(rule) });
  return { lambda: allocation.totals.lambda, allocation };
}

/**
 * The deployed policy's decision for every unit of a table: features validated and transformed by
 * the model's feature contract (`scoreCiaModel`, the function `cia score` uses), the recommendation
 * by `allocateWithLambda` at `lambda` with the guardrails (argmax of tau_value - lambda * tau_cost over
 * the eligible actions, no offer when none is positive), then exploration around it
 * (`explorationDistribution`) and a deterministic draw from the unit id and the salt
 * (`drawExploredAction`): the same unit with the same features and salt always gets the same action.
 *
 * @example
 * const d = decideTable(rule, table, { lambda: 0.8 });
 * d.action[0]; d.propensity[0];
 */
export function decideTable(
  rule: DecisionRule,
  table: ExperimentTable,
  options: DecideOptions,
): TableDecisions {
  const {
    prediction: p,
    rowOk,
    issues,
    issueCount,
  } = scoreCiaModel(rule.model, table, {
    mode: options.mode ?? "refuse",
  });
  return decideScored(rule, p, rowOk, table.unitIds, options, issues, issueCount);
}

/**
 * The second half of {@link decideTable}, from the model's scores on: eligibility, the
 * recommendation at lambda with the guardrails, exploration and the deterministic draw. Online
 * serving calls it with the scores of the compiled model (`compileCiaModel`, the same numbers as
 * `scoreCiaModel`), so both paths share every step after scoring.
 *
 * @example
 * const d = decideScored(rule, scores, rowOk, unitIds, { lambda: 0.8 }, [], 0);
 */
export function decideScored(
  rule: DecisionRule,
  p: RuleScores,
  rowOk: Uint8Array,
  unitIds: readonly string[],
  options: DecideOptions,
  issues: DataIssue[],
  issueCount: number,
): TableDecisions {
  const n = p.n;
  const k = p.nActions;
  const eligible = eligibility(rule, n, k, rowOk, options.eligible);
  const action = new Int32Array(n);
  const recommended = new Int32Array(n);
  const propensity = new Float64Array(n);
  const probabilities = new Float64Array(n * k);
  if (options.stopped) {
    for (let i = 0; i < n; i++) {
      probabilities[i * k] = 1;
      propensity[i] = 1;
      for (let a = 1; a < k; a++) eligible[i * k + a] = 0;
    }
  } else {
    const result = allocateWithLambda(candidatesOf(p, eligible), options.lambda, guardrailOptions(rule));
    const { epsilon, floor, salt } = rule.exploration;
    const probs = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const rec = result.action[i]!;
      recommended[i] = rec;
      const mask = eligible.subarray(i * k, (i + 1) * k);
      explorationDistribution(rec, mask, { epsilon, floor, salt }, probs);
      probabilities.set(bucketMap(probs).probabilities, i * k);
      const drawn = drawExploredAction(unitIds[i]!, salt, probs);
      action[i] = drawn.action;
      propensity[i] = drawn.propensity;
    }
  }
  return {
    n,
    nActions: k,
    action,
    recommended,
    propensity,
    probabilities,
    eligible,
    tauCost: p.tauCost,
    tauValue: p.tauValue,
    rowOk,
    issues,
    issueCount,
  };
}
