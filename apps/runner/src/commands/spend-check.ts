import { CiaError, DataValidationError, type Interval, normalQuantile } from "@cia/core";
import type { ExperimentTable } from "@cia/logging-schema";
import { reindexActions } from "@cia/logging-schema";
import { readExperimentTable } from "@cia/table-io";
import { evaluatePolicy, policyFromActions } from "@cia/ope";
import type { AllocationOptions } from "@cia/optimizer";
import { calibrateBudget, spendByCriterion } from "@cia/optimizer";
import type { SpendCriterion } from "@cia/optimizer";
import { rewardModel } from "../model/reward-model.js";
import type { ScoresTable } from "../io/scores-table.js";
import { readScores } from "../io/scores-table.js";
import { allocateScores } from "./allocate.js";

/** What allocate reports about true spend when it is given a holdout. */
export interface SpendCheck {
  holdout: string;
  holdout_units: number;
  /** The spend criterion (how the DR estimate is read; see calibrateBudget). */
  criterion: SpendCriterion;
  /** Level of the DR interval on spend. */
  level: number;
  /** Budget per unit the optimizer was handed (the budget as given, or the calibrated one). */
  handed_budget_per_unit: number;
  predicted_spend_per_unit: number;
  dr_spend_per_unit: Interval;
  /** DR estimate of the true spend on the scored units: per unit x units. */
  estimated_true_spend: Interval;
  /** The spend the criterion assigns, over the scored units (what --calibrate-spend matches to the budget). */
  spend_by_criterion: number;
  calibrated: boolean;
  iterations: number;
  converged: boolean;
}

/**
 * Budget safety at true spend for `cia allocate`: the optimizer spends the budget on predicted
 * cost, and maximizing value per predicted cost picks the pairs whose cost is under-predicted, so
 * the true spend can exceed the budget. On a holdout (logged units with propensities, value and
 * cost, that the model did not train on, scored by the same model), allocate at the same budget
 * per unit, estimate the true incremental spend off-policy (DR with per-action-mean rewards,
 * normal interval at `level`), and, with `calibrate`, find the budget to hand the optimizer so
 * that the estimated true spend meets the budget (`calibrateBudget`). Returns the check and the
 * budget to hand the optimizer on the scored units.
 *
 * @example
 * const { check, handedBudget } = await spendCheck(scores, allocOptions, { holdout: "holdout.csv", holdoutScores: "holdout-scores.csv", calibrate: true });
 */
export async function spendCheck(
  scores: ScoresTable,
  options: AllocationOptions & { budget: number },
  spec: {
    holdout: string;
    holdoutScores: string;
    control: string;
    calibrate: boolean;
    criterion?: SpendCriterion | undefined;
    level?: number | undefined;
  },
): Promise<{ check: SpendCheck; handedBudget: number }> {
  const table = await readExperimentTable(spec.holdout, {
    require: ["action", "propensity", "value", "cost"],
  });
  const hs = await readScores(spec.holdoutScores, { control: spec.control });
  const missing = scores.actions.filter((a) => !hs.actions.includes(a));
  if (missing.length > 0)
    throw new CiaError(
      "invalid_input",
      `${spec.holdoutScores}: no scores for action(s) ${missing.join(", ")} of ${scores.file} (score the holdout with the same model)`,
    );
  const actions = [spec.control, ...scores.actions];
  const action = reindexActions(table, actions);
  const k = actions.length;
  const holdoutScores = alignScores(hs, table, scores.actions, spec.holdoutScores);
  const n = scores.unitIds.length;
  const nh = table.n;
  const level = spec.level ?? 0.8;
  const z = normalQuantile(0.5 + level / 2);
  const criterion = spec.criterion ?? "interval";
  const qHat = rewardModel(table, action, k);
  const perUnit = options.budget / n;
  const allocateAt = (budgetPerUnit: number) => {
    const o: AllocationOptions = { ...options, budget: budgetPerUnit * nh };
    if (options.maxTreated !== undefined) o.maxTreated = Math.floor((options.maxTreated * nh) / n);
    const { result } = allocateScores(holdoutScores, o);
    return { actions: result.action, predicted: result.totals.spend / nh };
  };
  const spendOf = (a: { actions: Int32Array; predicted: number }) => {
    const ev = evaluatePolicy(
      {
        k,
        action,
        propensity: table.propensity!,
        value: table.value!,
        cost: table.cost,
        actionNames: actions,
      },
      {
        target: policyFromActions(a.actions, k),
        baseline: "control",
        qHat,
        estimators: ["dr"],
        interval: { method: "normal", level },
      },
    );
    const c = ev.estimates.dr!.incremental!.cost!;
    const half = z * c.se;
    return {
      predicted: a.predicted,
      estimate: { estimate: c.estimate, lower: c.estimate - half, upper: c.estimate + half },
    };
  };
  if (!(perUnit > 0))
    throw new CiaError(
      "invalid_option",
      "--holdout needs a positive --budget (the spend check scales it per unit)",
    );
  const cal = calibrateBudget({
    budget: perUnit,
    allocate: allocateAt,
    spend: spendOf,
    criterion,
    ...(spec.calibrate ? {} : { maxIterations: 0 }),
  });
  const e = cal.estimatedSpend;
  const check: SpendCheck = {
    holdout: spec.holdout,
    holdout_units: nh,
    criterion,
    level,
    handed_budget_per_unit: cal.handedBudget,
    predicted_spend_per_unit: cal.predictedSpend,
    dr_spend_per_unit: e,
    estimated_true_spend: { estimate: e.estimate * n, lower: e.lower * n, upper: e.upper * n },
    spend_by_criterion: spendByCriterion(criterion, cal.predictedSpend, e) * n,
    calibrated: spec.calibrate,
    iterations: cal.iterations,
    converged: cal.converged,
  };
  return { check, handedBudget: cal.handedBudget * n };
}

/** The holdout's scores in the holdout table's unit order and the target scores' action order. */
function alignScores(hs: ScoresTable, table: ExperimentTable, actions: string[], file: string): ScoresTable {
  const row = new Map<string, number>();
  hs.unitIds.forEach((u, i) => {
    row.set(u, i);
  });
  const A = actions.length;
  const from = actions.map((a) => hs.actions.indexOf(a));
  const tauValue = new Float64Array(table.n * A);
  const tauCost = new Float64Array(table.n * A);
  const missing: string[] = [];
  for (let i = 0; i < table.n; i++) {
    const r = row.get(table.unitIds[i]!);
    if (r === undefined) {
      if (missing.length < 5) missing.push(table.unitIds[i]!);
      continue;
    }
    for (let a = 0; a < A; a++) {
      tauValue[i * A + a] = hs.tauValue[r * hs.actions.length + from[a]!]!;
      tauCost[i * A + a] = hs.tauCost[r * hs.actions.length + from[a]!]!;
    }
  }
  if (missing.length > 0)
    throw new DataValidationError(
      missing.map((u) => ({
        code: "missing_unit",
        path: ["unit_id"],
        message: `holdout unit '${u}' of ${table.file} has no scores (score the holdout table itself)`,
      })),
      { file },
    );
  return { file, unitIds: table.unitIds, actions, tauValue, tauCost };
}
