import { createRng, gatherRows, noopProgress } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import { selectExperimentRows } from "@cia/logging-schema";
import type { ExperimentTable } from "@cia/logging-schema";
import { fitRewardModel } from "@cia/ope";
import { fitPooledCostHead, fitPooledValueHead } from "@cia/uplift";
import type { PooledEffectHead } from "@cia/uplift";
import type { CiaModel, TrainOptions } from "@cia/model";
import { scoreCiaModel, trainCiaModel } from "@cia/model";
import type { EffectScores } from "./decision-stage.js";

/** The pooled heads of one fit: value on the learning label, value on a proxy label, cost. */
export interface PooledHeads {
  value: PooledEffectHead;
  proxy: PooledEffectHead | null;
  cost: PooledEffectHead;
}

/** Fit the pooled heads on a table's model inputs (`proxy`: a shorter-horizon value label per row). */
export function fitPooledHeads(
  matrix: DenseMatrix,
  action: Int32Array,
  table: ExperimentTable,
  attributes: number[][],
  proxy: Float64Array | null,
  seed: number,
  /** Cap on the value heads' inverse-propensity weights (the loop's thinly explored logs); none by default. */
  maxWeight?: number,
): PooledHeads {
  const k = attributes.length;
  const base = { features: matrix, action, nActions: k, propensity: table.propensity };
  const opts = { actionAttributes: attributes, seed };
  const valueOpts = { ...opts, maxWeight };
  return {
    value: fitPooledValueHead({ ...base, value: table.value! }, valueOpts),
    proxy: proxy ? fitPooledValueHead({ ...base, value: proxy }, valueOpts) : null,
    cost: fitPooledCostHead({ features: matrix, action, cost: table.cost!, nActions: k }, opts),
  };
}

/** Every scoring variant the candidate rules allocate on, for one set of units. */
export function scoreVariants(
  x: { tauValue: Float64Array; tauCost: Float64Array },
  pooled: PooledHeads,
  matrix: DenseMatrix,
): Record<string, EffectScores> {
  const pooledCost = pooled.cost.predictEffect(matrix);
  const out: Record<string, EffectScores> = {
    plugin: { tauValue: x.tauValue, tauCost: x.tauCost },
    honestCost: { tauValue: x.tauValue, tauCost: pooledCost },
    pooled: { tauValue: pooled.value.predictEffect(matrix), tauCost: pooledCost },
  };
  if (pooled.proxy) out.proxy = { tauValue: pooled.proxy.predictEffect(matrix), tauCost: pooledCost };
  return out;
}

/** Out-of-fold scores of the training rows, and the DR reward model fitted on them. */
export interface OutOfFold {
  scores: Record<string, EffectScores>;
  qValue: Float64Array;
  qCost: Float64Array;
}

/**
 * Cross-fitting on the training rows: each of `folds` folds is scored by models (the meta-learner
 * and the pooled heads) fitted on the other folds, so every training row gets predictions from
 * models that never saw it. The decision layer then evaluates its candidate rules on the training
 * rows as well as on the holdout: three times the units for the off-policy estimates that select
 * a policy and calibrate its budget.
 *
 * @example
 * const oof = crossFitScores(train, matrix, action, trainOpts, model, attributes, proxy, { folds: 3, bootstraps: 2, seed: "1" });
 */
export function crossFitScores(
  train: ExperimentTable,
  /** The training rows' model inputs (the contract's transform, computed once by the caller). */
  matrix: DenseMatrix,
  action: Int32Array,
  trainOptions: TrainOptions,
  model: CiaModel,
  attributes: number[][],
  proxy: Float64Array | null,
  options: { folds: number; bootstraps: number; seed: string },
): OutOfFold {
  const n = train.n;
  const k = attributes.length;
  const fold = new Int32Array(n);
  createRng(`${options.seed}/cross-fit`)
    .shuffle(Int32Array.from({ length: n }, (_, i) => i))
    .forEach((r, j) => {
      fold[r] = j % options.folds;
    });
  const scores: Record<string, EffectScores> = {};
  const xValue = new Float64Array(n * k);
  const xCost = new Float64Array(n * k);
  for (let f = 0; f < options.folds; f++) {
    const fitRows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => fold[i] !== f);
    const outRows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => fold[i] === f);
    const fitTable = selectExperimentRows(train, fitRows, `${train.file} (fold ${f} fit)`);
    const outTable = selectExperimentRows(train, outRows, `${train.file} (fold ${f})`);
    const probs = trainOptions.actionProbabilities;
    const foldModel = trainCiaModel(fitTable, {
      ...trainOptions,
      bootstraps: options.bootstraps,
      seed: `${options.seed}/fold-${f}`,
      contract: model.file.contract,
      ...(probs ? { actionProbabilities: gatherRows(probs, fitRows, k) } : {}),
      progress: noopProgress,
    });
    const pred = scoreCiaModel(
      foldModel,
      outTable,
      probs ? { propensity: gatherRows(probs, outRows, k) } : {},
    ).prediction;
    const fitMatrix = matrix.selectRows(fitRows);
    const outMatrix = matrix.selectRows(outRows);
    const pooled = fitPooledHeads(
      fitMatrix,
      Int32Array.from(fitRows, (i) => action[i]!),
      fitTable,
      attributes,
      proxy ? Float64Array.from(fitRows, (i) => proxy[i]!) : null,
      1 + f,
    );
    const variants = scoreVariants({ tauValue: pred.tauValue, tauCost: pred.tauCost! }, pooled, outMatrix);
    for (const [name, v] of Object.entries(variants)) {
      const s = (scores[name] ??= { tauValue: new Float64Array(n * k), tauCost: new Float64Array(n * k) });
      outRows.forEach((r, j) => {
        s.tauValue.set(v.tauValue.subarray(j * k, (j + 1) * k), r * k);
        s.tauCost.set(v.tauCost.subarray(j * k, (j + 1) * k), r * k);
      });
    }
    outRows.forEach((r, j) => {
      xValue.set(pred.tauValue.subarray(j * k, (j + 1) * k), r * k);
      xCost.set(pred.tauCost!.subarray(j * k, (j + 1) * k), r * k);
    });
  }
  // The reward model on the training rows, as on the holdout: m_0 cross-fitted plus the effects.
  const q = fitRewardModel(
    {
      features: matrix,
      action,
      k,
      outcomes: { value: train.value!, cost: train.cost },
      tau: { value: xValue, cost: scores.honestCost!.tauCost },
      propensity: train.propensity,
    },
    { base: model.file.settings.base },
  );
  return { scores, qValue: q.value, qCost: q.cost! };
}
