import { noopProgress } from "@cia/core";
import type { ExperimentTable } from "@cia/logging-schema";
import { reindexActions } from "@cia/logging-schema";
import { modelInputs, scoreCiaModel, trainCiaModel } from "@cia/model";
import type { BaseKind, CiaModel } from "@cia/model";
import { fitRewardModel } from "@cia/ope";
import { fitPooledHeads, scoreVariants } from "../run/decision-inputs.js";
import type { PooledHeads } from "../run/decision-inputs.js";

/**
 * The loop's cap on inverse-propensity weights when learning from its own logs. Its explored rows
 * are logged at 1 / floor (100 at the default 1% floor), and an uncapped pooled value head follows
 * those few rows: re-fits on pilot + 4 periods of own logs fell to 0.66 of the oracle (0.91 with the
 * cap, 0.91 for the pilot alone; default world, seed 2, true values on fresh units).
 */
export const DEFAULT_MAX_WEIGHT = 10;

/** Which predictions the loop allocates on (the decision layer's scoring variants). */
export type LoopScores = "pooled" | "honestCost" | "plugin";

/** A model fitted on pooled logs, able to score new units and build a DR reward model on a log. */
export interface LoopModel {
  readonly version: string;
  readonly trainedRows: number;
  readonly model: CiaModel;
  readonly pooled: PooledHeads;
  readonly scores: LoopScores;
  /** Effect predictions n x K for a table of units. */
  score(table: ExperimentTable): { tauValue: Float64Array; tauCost: Float64Array };
}

/**
 * Fit the loop's model on logs pooled from any mix of designs: the meta-learner (X-learner, value
 * and cost heads) weighted by each row's own logged action distribution (`propensity: "logged"`),
 * then the decision layer's pooled value and non-negative cost heads (IPW on the logged
 * propensity) on the same rows.
 *
 * @example
 * const m = trainLoopModel(table, probs, { actions, version: "m2", seed: "1" });
 * m.score(populationTable(pop)).tauValue;
 */
export function trainLoopModel(
  table: ExperimentTable,
  actionProbabilities: Float64Array,
  o: {
    actions: string[];
    attributes: number[][];
    version: string;
    seed: string;
    base?: BaseKind;
    scores?: LoopScores;
    /** Cap on the pooled value head's inverse-propensity weights (default 10). */
    maxWeight?: number;
  },
): LoopModel {
  const model = trainCiaModel(table, {
    learner: "x",
    base: o.base ?? "gbdt",
    bootstraps: 0,
    propensity: "logged",
    actionProbabilities,
    actions: o.actions,
    control: o.actions[0]!,
    cost: true,
    seed: o.seed,
    progress: noopProgress,
  });
  const action = reindexActions(table, o.actions);
  const pooled = fitPooledHeads(
    modelInputs(model, table).matrix,
    action,
    table,
    o.attributes,
    null,
    1,
    o.maxWeight ?? DEFAULT_MAX_WEIGHT,
  );
  const variant = o.scores ?? "pooled";
  return {
    version: o.version,
    trainedRows: table.n,
    model,
    pooled,
    scores: variant,
    score(t) {
      const pred = scoreCiaModel(model, t).prediction;
      const v = scoreVariants(
        { tauValue: pred.tauValue, tauCost: pred.tauCost! },
        pooled,
        modelInputs(model, t).matrix,
      );
      const s = v[variant]!;
      return { tauValue: s.tauValue, tauCost: s.tauCost };
    },
  };
}

/**
 * The DR reward model on one logged period: m_0 cross-fitted on the period's own rows plus the
 * effects predicted by the model that decided the period (fitted on earlier logs only).
 */
export function periodRewardModel(
  m: LoopModel,
  table: ExperimentTable,
  actions: string[],
  tau: { tauValue: Float64Array; tauCost: Float64Array },
): { value: Float64Array; cost: Float64Array } {
  const q = fitRewardModel(
    {
      features: modelInputs(m.model, table).matrix,
      action: reindexActions(table, actions),
      k: actions.length,
      outcomes: { value: table.value!, cost: table.cost },
      tau: { value: tau.tauValue, cost: tau.tauCost },
      propensity: table.propensity,
    },
    { base: m.model.file.settings.base },
  );
  return { value: q.value, cost: q.cost! };
}
