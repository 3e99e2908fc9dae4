import { fitRewardModel } from "@cia/ope";
import type { RewardModels } from "@cia/ope";
import type { ExperimentTable } from "@cia/logging-schema";
import type { CiaModel } from "@cia/model";
import { scoreCiaModel } from "@cia/model";

/**
 * Reward-model predictions q_hat(x, a) for DM and DR, n x K: a thin adapter from the runner's table
 * and trained model to `@cia/ope`'s `fitRewardModel` (m_0 + tau with a cross-fitted m_0 when a
 * model is given, the per-action mean otherwise; 3 folds, seed 7).
 *
 * @example
 * const qHat = rewardModel(table, actionIndex, K, model); // or pass `scored` to reuse scores
 */
export function rewardModel(
  table: ExperimentTable,
  action: Int32Array,
  k: number,
  model?: CiaModel,
  scored?: ReturnType<typeof scoreCiaModel>,
): RewardModels {
  const outcomes = { value: table.value!, cost: table.cost };
  if (!model) return fitRewardModel({ action, k, outcomes });
  // Reuse the caller's scores of this table when it has them (same effects as its policies used).
  const { prediction, inputs } = scored ?? scoreCiaModel(model, table, { mode: "report" });
  return fitRewardModel(
    {
      features: inputs.matrix,
      action,
      k,
      outcomes,
      tau: { value: prediction.tauValue, cost: prediction.tauCost ?? undefined },
      propensity: table.propensity,
    },
    { base: model.file.settings.base },
  );
}
