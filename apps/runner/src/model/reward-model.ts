import { HistGradientBoosting, Ridge } from "@cia/learners";
import type { RewardModels } from "@cia/ope";
import type { ExperimentTable } from "../io/experiment-table.js";
import type { CiaModel } from "./cia-model.js";
import { scoreCiaModel } from "./cia-model.js";

/**
 * Reward-model predictions q_hat(x, a) for DM and DR, n x K.
 *
 * With a CIA model: q_hat(x, a) = m_0(x) + tau(x, a), where tau comes from the model's value and
 * cost heads and m_0 (the no-offer outcome level, which an effect model does not carry) is a
 * cross-fitted boosted regression on the table's no-offer rows, reweighted by 1 / propensity so a
 * skewed design does not tilt it. Without a model: the per-action mean outcome (a constant model), which
 * keeps DR unbiased but removes less variance.
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
  const n = table.n;
  const heads: ("value" | "cost")[] = table.cost ? ["value", "cost"] : ["value"];
  const out: Partial<Record<"value" | "cost", Float64Array>> = {};
  if (!model) {
    for (const h of heads) {
      const y = h === "value" ? table.value! : table.cost!;
      const s = new Float64Array(k);
      const c = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        s[action[i]!]! += y[i]!;
        c[action[i]!]! += 1;
      }
      const q = new Float64Array(n * k);
      for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) q[i * k + a] = c[a]! > 0 ? s[a]! / c[a]! : 0;
      out[h] = q;
    }
    return out.cost ? { value: out.value!, cost: out.cost } : { value: out.value! };
  }
  // Reuse the caller's scores of this table when it has them (same effects as its policies used).
  const { prediction, inputs } = scored ?? scoreCiaModel(model, table, { mode: "report" });
  const matrix = inputs.matrix;
  // m_0 is cross-fitted (3 folds by unit order, as OPE practice and OBP do): each row's q_hat
  // comes from a model that never saw that row, so DR's correction term stays unbiased.
  const folds = 3;
  const fold = (i: number) => i % folds;
  for (const h of heads) {
    const y = h === "value" ? table.value! : table.cost!;
    const tau = h === "value" ? prediction.tauValue : prediction.tauCost;
    const m0 = new Float64Array(n);
    for (let f = 0; f < folds; f++) {
      const fitRows: number[] = [];
      const predictRows: number[] = [];
      for (let i = 0; i < n; i++) {
        if (fold(i) === f) predictRows.push(i);
        else if (action[i] === 0) fitRows.push(i);
      }
      if (predictRows.length === 0) continue;
      const learner =
        model.file.settings.base === "ridge"
          ? new Ridge({ alpha: 1, standardize: true })
          : new HistGradientBoosting({
              maxIter: 100,
              learningRate: 0.05,
              maxLeafNodes: 7,
              minSamplesLeaf: 100,
              l2Regularization: 5,
              seed: 7,
            });
      const fitted = learner.fit(
        matrix.selectRows(fitRows),
        Float64Array.from(fitRows, (i) => y[i]!),
        { weights: Float64Array.from(fitRows, (i) => (table.propensity ? 1 / table.propensity[i]! : 1)) },
      );
      const pred = fitted.predict(matrix.selectRows(predictRows));
      for (let j = 0; j < predictRows.length; j++) m0[predictRows[j]!] = pred[j]!;
    }
    const q = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < k; a++) q[i * k + a] = m0[i]! + (tau ? tau[i * k + a]! : 0);
    out[h] = q;
  }
  return out.cost ? { value: out.value!, cost: out.cost } : { value: out.value! };
}
