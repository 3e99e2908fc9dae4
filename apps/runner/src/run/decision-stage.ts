import { type Interval, normalQuantile } from "@cia/core";
import { evaluatePolicy, policyFromActions, selectPolicy } from "@cia/ope";
import type { PolicySelection } from "@cia/ope";
import { calibrateBudget, spendByCriterion } from "@cia/optimizer";
import type { SpendCriterion } from "@cia/optimizer";
import { allocateRule } from "./allocate-rule.js";
import { concatArrays as concat } from "./evaluate-on-sets.js";
import type { RuleGuardrails } from "./allocate-rule.js";

/** Effect predictions of one scoring variant on one evaluation set, n x K. */
export interface EffectScores {
  readonly tauValue: Float64Array;
  readonly tauCost: Float64Array;
  readonly tauValueLower?: Float64Array | undefined;
}

/**
 * Logged units on which candidate policies are decided and evaluated, with predictions from
 * models that never saw them: the holdout (scored by the final model) and the training rows
 * scored out of fold (cross-fitting). Pooling both gives the OPE three times the units.
 */
export interface EvaluationSet {
  readonly name: string;
  readonly n: number;
  readonly action: Int32Array;
  readonly propensity: Float64Array;
  /** n x K design probabilities; null when only the logged action's propensity is known. */
  readonly loggingProbabilities: Float64Array | null;
  readonly value: Float64Array;
  readonly cost: Float64Array;
  /** The baseline policy's actions on these units. */
  readonly baseline: Int32Array;
  /** Reward model for DR on these units (shared by every candidate, so comparisons are paired). */
  readonly qValue: Float64Array;
  readonly qCost: Float64Array;
  /** Predictions by variant name. */
  readonly scores: Readonly<Record<string, EffectScores>>;
}

/** A candidate decision rule: which predictions it allocates on, and how. */
export interface CandidateRule {
  readonly name: string;
  readonly note: string;
  readonly scores: string;
  /** Allocate on the bootstrap lower bound of value. */
  readonly risk?: boolean | undefined;
  /** Calibrate the handed budget to the OPE spend estimate (default true). */
  readonly calibrate?: boolean | undefined;
}

/** The decided candidate: its actions on every set, the budget it was handed and its OPE checks. */
export interface DecidedCandidate {
  readonly name: string;
  readonly note: string;
  /** Actions per evaluation set (same order as the sets). */
  readonly actions: Int32Array[];
  readonly handedBudgetPerUnit: number;
  readonly predictedSpendPerUnit: number;
  readonly opeSpendPerUnit: Interval;
  readonly valueVsBaseline: Interval;
  readonly spendWarning: string | null;
  readonly calibrationIterations: number;
  /** Whether its estimated true spend (by the criterion) meets the budget; only eligible candidates can be recommended. */
  readonly eligible: boolean;
}

export interface DecisionResult {
  readonly candidates: DecidedCandidate[];
  readonly selection: PolicySelection;
  readonly level: number;
  readonly criterion: SpendCriterion;
  readonly units: number;
}

/** Options of {@link decidePolicies}. */
export interface DecideOptions {
  readonly k: number;
  readonly budgetPerUnit: number;
  readonly baselineName: string;
  /** Two-sided level of the OPE intervals (default 0.9: the lower bound is a one-sided 95% bound). */
  readonly level?: number | undefined;
  readonly criterion?: SpendCriterion | undefined;
  /**
   * Two-sided level of the spend interval the criterion reads (default 0.8: "upper" is then a
   * one-sided 90% bound on true spend).
   */
  readonly spendLevel?: number | undefined;
  /** A candidate whose spend by the criterion exceeds the budget by more than this share is not eligible (default 0.01). */
  readonly spendTolerance?: number | undefined;
  /** Guardrails every rule's allocation obeys (config runs). */
  readonly guardrails?: RuleGuardrails | undefined;
}

/**
 * The decision layer of `cia run`: every candidate rule is applied on every evaluation set, its
 * handed budget calibrated until the estimated TRUE spend (DR on the pooled sets) meets the budget,
 * then all are compared with the baseline by the paired DR value difference and the best by its
 * lower bound is recommended, or the baseline when none beats it with confidence.
 *
 * @example
 * const d = decidePolicies([holdout, outOfFold], rules, { k, budgetPerUnit, baselineName: "heuristic" });
 * d.selection.recommended;
 */
export function decidePolicies(
  sets: readonly EvaluationSet[],
  rules: readonly CandidateRule[],
  options: DecideOptions,
): DecisionResult {
  const { k, budgetPerUnit } = options;
  const level = options.level ?? 0.9;
  const criterion = options.criterion ?? "interval";
  const units = sets.reduce((s, x) => s + x.n, 0);
  const zSpend = normalQuantile(0.5 + (options.spendLevel ?? 0.8) / 2);
  const tolerance = options.spendTolerance ?? 0.01;
  const data = {
    k,
    action: concat(
      sets.map((s) => s.action),
      (n) => new Int32Array(n),
    ),
    propensity: concat(
      sets.map((s) => s.propensity),
      (n) => new Float64Array(n),
    ),
    value: concat(
      sets.map((s) => s.value),
      (n) => new Float64Array(n),
    ),
    cost: concat(
      sets.map((s) => s.cost),
      (n) => new Float64Array(n),
    ),
    loggingProbabilities: sets.every((s) => s.loggingProbabilities !== null)
      ? concat(
          sets.map((s) => s.loggingProbabilities!),
          (n) => new Float64Array(n),
        )
      : undefined,
  };
  const qHat = {
    value: concat(
      sets.map((s) => s.qValue),
      (n) => new Float64Array(n),
    ),
    cost: concat(
      sets.map((s) => s.qCost),
      (n) => new Float64Array(n),
    ),
  };
  const baseline = policyFromActions(
    concat(
      sets.map((s) => s.baseline),
      (n) => new Int32Array(n),
    ),
    k,
  );
  const evaluate = (actions: Int32Array[]) =>
    evaluatePolicy(data, {
      target: policyFromActions(
        concat(actions, (n) => new Int32Array(n)),
        k,
      ),
      baseline,
      qHat,
      estimators: ["dr"],
      interval: { method: "normal", level },
    }).estimates.dr!;

  const candidates: DecidedCandidate[] = rules.map((rule) => {
    const allocateAt = (perUnit: number): { actions: Int32Array[]; predicted: number } => {
      let predicted = 0;
      const actions = sets.map((s) => {
        const sc = s.scores[rule.scores];
        if (!sc) throw new Error(`internal: no scores '${rule.scores}' on ${s.name}`);
        const action = allocateRule(sc, {
          n: s.n,
          k,
          budget: perUnit * s.n,
          risk: rule.risk,
          guardrails: options.guardrails,
        });
        for (let i = 0; i < s.n; i++) {
          const a = action[i]!;
          if (a !== 0) predicted += sc.tauCost[i * k + a]!;
        }
        return action;
      });
      return { actions, predicted: predicted / units };
    };
    const spendOf = (a: { actions: Int32Array[]; predicted: number }) => {
      const c = evaluate(a.actions).incremental!.cost!;
      const half = zSpend * c.se;
      return {
        predicted: a.predicted,
        estimate: { estimate: c.estimate, lower: c.estimate - half, upper: c.estimate + half },
      };
    };
    // An uncalibrated rule is assessed at the budget as given (no iteration).
    const cal = calibrateBudget({
      budget: budgetPerUnit,
      allocate: allocateAt,
      spend: spendOf,
      criterion,
      ...(rule.calibrate === false ? { maxIterations: 0 } : {}),
    });
    const dr = evaluate(cal.allocation.actions);
    const v = dr.versusBaseline!.value;
    const e = cal.estimatedSpend;
    const bySpendCriterion = spendByCriterion(criterion, cal.predictedSpend, e);
    return {
      eligible: bySpendCriterion <= budgetPerUnit * (1 + tolerance),
      name: rule.name,
      note: rule.note,
      actions: cal.allocation.actions,
      handedBudgetPerUnit: cal.handedBudget,
      predictedSpendPerUnit: cal.predictedSpend,
      opeSpendPerUnit: e,
      valueVsBaseline: { estimate: v.estimate, lower: v.lower, upper: v.upper },
      spendWarning: cal.disagreement
        ? `predicted spend ${cal.predictedSpend.toFixed(3)} per unit is outside the DR interval [${e.lower.toFixed(3)}, ${e.upper.toFixed(3)}]`
        : null,
      calibrationIterations: cal.iterations,
    };
  });
  const selection = selectPolicy(
    options.baselineName,
    candidates.map((c) => ({
      name: c.name,
      difference: c.valueVsBaseline,
      eligible: c.eligible,
      ...(c.eligible
        ? {}
        : { reason: `estimated true spend above the budget (${criterion} of the DR spend)` }),
    })),
  );
  return { candidates, selection, level, criterion, units };
}
