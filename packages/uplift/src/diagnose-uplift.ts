import { CiaError, type DenseMatrix } from "@cia/core";
import { type CalibrationResult, calibrationByBins } from "./calibration-by-bins.js";
import { costCurve } from "./cost-curve.js";
import { atItems, effectItems } from "./effect-items.js";
import { type RankStabilityReport, columnsOf } from "./split-stability.js";
import { type RankingMonotonicityResult, rankingMonotonicity } from "./ranking-monotonicity.js";
import { rankStability } from "./rank-stability.js";
import { auucScore, qiniScore } from "./uplift-curves.js";
import type { UpliftModel } from "./uplift-model.js";
import type { UpliftPrediction } from "./uplift-prediction.js";
import type { UpliftErrorCode } from "./error-codes.js";

/** A holdout for diagnostics: logged actions, outcomes, propensities and (simulator) truth. */
export interface DiagnosticsHoldout {
  features: DenseMatrix;
  action: ArrayLike<number>;
  value: ArrayLike<number>;
  cost?: ArrayLike<number> | undefined;
  /** Propensity of the logged action per row (what IPW needs). */
  propensity: ArrayLike<number>;
  /** Full logged action probabilities n x K, used for the X-learner's weights when given. */
  propensityMatrix?: Float64Array | undefined;
  segment?: ArrayLike<number> | undefined;
  /** True effects n x K (simulator), enabling every ground-truth counterpart. */
  truth?: { tauValue: Float64Array; tauCost?: Float64Array | undefined } | undefined;
}

/** Qini / AUUC of one offer (CausalML convention, value outcome, rows logged with the offer or no-offer). */
export interface ArmUpliftScores {
  action: number;
  rows: number;
  qini: number;
  auuc: number;
  qiniRaw: number;
  auucRaw: number;
  /** The same with the true effect in place of outcomes (CausalML's `tau` column), when known. */
  trueQini: number | null;
  trueAuuc: number | null;
}

/** The methodology's evaluation stack on one holdout. */
export interface UpliftDiagnostics {
  n: number;
  nActions: number;
  actionNames: string[];
  calibration: {
    value: { pooled: CalibrationResult; byAction: CalibrationResult[] };
    cost: { pooled: CalibrationResult; byAction: CalibrationResult[] } | null;
  };
  ranking: RankingMonotonicityResult | null;
  upliftScores: ArmUpliftScores[];
  costCurve: {
    fraction: number[];
    ipwValue: number[];
    ipwCost: number[];
    trueValue: number[] | null;
    trueCost: number[] | null;
    treatedUnits: number;
  } | null;
  /** Stability across bootstrap members (null with one member). */
  bootstrapStability: RankStabilityReport | null;
  /** sqrt(PEHE) per offer (index 0 unused), when the truth is known. */
  sqrtPehe: { value: number[]; cost: number[] | null } | null;
}

/**
 * Run the evaluation stack on a holdout with logged propensities: calibration by quantile bins
 * (value and cost, per offer and pooled over offers), ranking monotonicity of predicted
 * efficiency, Qini/AUUC per offer (CausalML's convention), the cost-aware curve over all offers,
 * stability across bootstrap members, and every ground-truth counterpart when `truth` is given.
 *
 * @example
 * const report = diagnoseUplift(model, { features, action, value, cost, propensity });
 * report.calibration.value.pooled.slope;
 */
export function diagnoseUplift(
  model: UpliftModel,
  holdout: DiagnosticsHoldout,
  options: { bins?: number; level?: number; topFraction?: number; curvePoints?: number } = {},
): UpliftDiagnostics {
  const pred = model.predict(holdout.features, {
    propensity: holdout.propensityMatrix,
    segment: holdout.segment,
    members: model.resamples > 1,
  });
  return diagnosePredictions(pred, holdout, {
    ...options,
    actionNames: [...model.actionNames],
    eps: model.efficiencyEps,
  });
}

/**
 * The same stack from precomputed predictions (e.g. another model's scores).
 *
 * @example
 * const report = diagnosePredictions(model.predict(x), holdout);
 */
export function diagnosePredictions(
  pred: UpliftPrediction,
  holdout: DiagnosticsHoldout,
  options: {
    bins?: number;
    level?: number;
    topFraction?: number;
    curvePoints?: number;
    actionNames?: string[];
    eps?: number;
  } = {},
): UpliftDiagnostics {
  const k = pred.nActions;
  const n = pred.n;
  if (holdout.action.length !== n || holdout.value.length !== n || holdout.propensity.length !== n) {
    throw new CiaError<UpliftErrorCode>(
      "invalid_input",
      "holdout arrays must have one entry per predicted row",
      { n },
    );
  }
  const bins = options.bins ?? 10;
  const level = options.level ?? 0.9;
  const truth = holdout.truth;
  const arms = Array.from({ length: k - 1 }, (_, j) => j + 1);
  const calib = (matrix: Float64Array, outcome: ArrayLike<number>, truthM: Float64Array | undefined) => {
    const one = (list: number[]): CalibrationResult => {
      const items = effectItems(matrix, k, list);
      return calibrationByBins(
        items,
        { action: holdout.action, outcome, propensity: holdout.propensity },
        { bins, level, truth: truthM ? atItems(truthM, k, items) : undefined },
      );
    };
    return { pooled: one(arms), byAction: arms.map((a) => one([a])) };
  };
  const hasCost = pred.tauCost !== null && holdout.cost !== undefined;
  const valueCal = calib(pred.tauValue, holdout.value, truth?.tauValue);
  const costCal = hasCost ? calib(pred.tauCost!, holdout.cost!, truth?.tauCost) : null;

  let ranking: RankingMonotonicityResult | null = null;
  let curve: UpliftDiagnostics["costCurve"] = null;
  if (hasCost) {
    const items = effectItems(pred.tauValue, k);
    const withTruth = truth?.tauValue && truth.tauCost;
    ranking = rankingMonotonicity(
      items,
      atItems(pred.tauCost!, k, items),
      { action: holdout.action, value: holdout.value, cost: holdout.cost!, propensity: holdout.propensity },
      {
        bins,
        level,
        eps: options.eps,
        truthValue: withTruth ? atItems(truth.tauValue, k, items) : undefined,
        truthCost: withTruth ? atItems(truth.tauCost!, k, items) : undefined,
      },
    );
    const c = costCurve(
      pred.tauValue,
      pred.tauCost!,
      k,
      { action: holdout.action, value: holdout.value, cost: holdout.cost!, propensity: holdout.propensity },
      {
        points: options.curvePoints ?? 100,
        eps: options.eps,
        truthValue: truth?.tauValue,
        truthCost: truth?.tauCost,
      },
    );
    curve = {
      fraction: Array.from(c.fraction),
      ipwValue: Array.from(c.ipwValue),
      ipwCost: Array.from(c.ipwCost),
      trueValue: c.trueValue ? Array.from(c.trueValue) : null,
      trueCost: c.trueCost ? Array.from(c.trueCost) : null,
      treatedUnits: c.order.length,
    };
  }

  const upliftScores: ArmUpliftScores[] = arms.map((a) => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (holdout.action[i] === a || holdout.action[i] === 0) rows.push(i);
    const score = rows.map((i) => pred.tauValue[i * k + a]!);
    const treatment = rows.map((i) => (holdout.action[i] === a ? 1 : 0));
    const outcome = rows.map((i) => holdout.value[i]!);
    const obs = { score, treatment, outcome };
    const tr = truth ? { score, treatment, trueEffect: rows.map((i) => truth.tauValue[i * k + a]!) } : null;
    return {
      action: a,
      rows: rows.length,
      qini: qiniScore(obs),
      auuc: auucScore(obs),
      qiniRaw: qiniScore(obs, { normalize: false }),
      auucRaw: auucScore(obs, { normalize: false }),
      trueQini: tr ? qiniScore(tr) : null,
      trueAuuc: tr ? auucScore(tr) : null,
    };
  });

  let bootstrapStability: RankStabilityReport | null = null;
  if (pred.members && pred.members.tauValue.length > 1) {
    const topFraction = options.topFraction ?? 0.1;
    const v = pred.members.tauValue.map((m) => columnsOf(m, k));
    const c = pred.members.tauCost ? pred.members.tauCost.map((m) => columnsOf(m, k)) : null;
    bootstrapStability = {
      value: rankStability(v, { topFraction }),
      cost: c ? rankStability(c, { topFraction }) : null,
    };
  }

  let sqrtPehe: UpliftDiagnostics["sqrtPehe"] = null;
  if (truth) {
    const pehe = (p: Float64Array, t: Float64Array) =>
      Array.from({ length: k }, (_, a) => {
        if (a === 0) return 0;
        let s = 0;
        for (let i = 0; i < n; i++) s += (p[i * k + a]! - t[i * k + a]!) ** 2;
        return Math.sqrt(s / n);
      });
    sqrtPehe = {
      value: pehe(pred.tauValue, truth.tauValue),
      cost: truth.tauCost && pred.tauCost ? pehe(pred.tauCost, truth.tauCost) : null,
    };
  }

  return {
    n,
    nActions: k,
    actionNames:
      options.actionNames ?? Array.from({ length: k }, (_, a) => (a === 0 ? "control" : `action_${a}`)),
    calibration: { value: valueCal, cost: costCal },
    ranking,
    upliftScores,
    costCurve: curve,
    bootstrapStability,
    sqrtPehe,
  };
}
