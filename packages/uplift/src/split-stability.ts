import { CiaError, type DenseMatrix, createRng, gatherRows } from "@cia/core";
import { fitUplift, type UpliftOptions } from "./fit-uplift.js";
import { type RankAgreement, type StabilitySummary, rankAgreement } from "./rank-stability.js";
import { type UpliftData, rowsByAction, validateUpliftData } from "./uplift-data.js";
import type { UpliftErrorCode } from "./error-codes.js";

/** Stability of value and cost rankings (null without a cost head). */
export interface RankStabilityReport {
  value: StabilitySummary;
  cost: StabilitySummary | null;
}

/** Agreement of models fitted on two disjoint halves of the training data. */
export interface SplitStabilityResult {
  value: RankAgreement;
  cost: RankAgreement | null;
  /** Agreement of the predicted CPIV rankings. */
  efficiency: RankAgreement | null;
}

/**
 * Stability across splits: the training data is split in two halves stratified by action, a model
 * is fitted on each with the same options, and their rankings of every (unit, offer) of `evaluate`
 * are compared (Spearman, top-k overlap) for value, cost and efficiency.
 *
 * @example
 * const s = splitStability(train, { learner: "x", value: { learner: hgb } }, holdoutFeatures, { seed: 1 });
 * s.value.spearman;
 */
export function splitStability(
  data: UpliftData,
  options: UpliftOptions,
  evaluate: DenseMatrix,
  settings: { seed?: number | string; topFraction?: number; propensity?: Float64Array | undefined } = {},
): SplitStabilityResult {
  const d = validateUpliftData(data);
  const rng = createRng(settings.seed ?? 0).split("split-stability");
  const halves: number[][] = [[], []];
  for (const r of rowsByAction(d.action, d.nActions)) {
    const perm = rng.sample(r.length, r.length);
    for (let j = 0; j < r.length; j++) halves[j % 2]!.push(r[perm[j]!]!);
  }
  const preds = halves.map((rowsList) => {
    const idx = Int32Array.from(rowsList).sort();
    if (idx.length === 0)
      throw new CiaError<UpliftErrorCode>(
        "insufficient_support",
        "split stability needs data in both halves",
        {},
      );
    const sub: UpliftData = {
      features: d.features.selectRows(idx),
      action: Int32Array.from(idx, (i) => d.action[i]!),
      value: Float64Array.from(idx, (i) => d.value[i]!),
      cost: d.cost ? Float64Array.from(idx, (i) => d.cost![i]!) : undefined,
      nActions: d.nActions,
      propensity: d.propensity ? gatherRows(d.propensity, idx, d.nActions) : undefined,
      segment: d.segment ? Int32Array.from(idx, (i) => d.segment![i]!) : undefined,
    };
    return fitUplift(sub, options).predict(evaluate, { propensity: settings.propensity });
  });
  const k = d.nActions;
  const opts = { topFraction: settings.topFraction ?? 0.1 };
  const [a, b] = preds as [(typeof preds)[0], (typeof preds)[0]];
  return {
    value: rankAgreement(columnsOf(a.tauValue, k), columnsOf(b.tauValue, k), opts),
    cost:
      a.tauCost && b.tauCost ? rankAgreement(columnsOf(a.tauCost, k), columnsOf(b.tauCost, k), opts) : null,
    efficiency: a.cpiv && b.cpiv ? rankAgreement(columnsOf(a.cpiv, k), columnsOf(b.cpiv, k), opts) : null,
  };
}

/**
 * The offer columns (1..K-1) of an n x K matrix, flattened (offer-major).
 *
 * @example
 * columnsOf(Float64Array.from([0, 1, 2, 0, 3, 4]), 3); // [1, 3, 2, 4]
 */
export function columnsOf(m: Float64Array, k: number): Float64Array {
  const n = m.length / k;
  const out = new Float64Array(n * (k - 1));
  let o = 0;
  for (let a = 1; a < k; a++) for (let i = 0; i < n; i++) out[o++] = m[i * k + a]!;
  return out;
}
