import {
  CiaError,
  type ProgressReporter,
  type Rng,
  type Seed,
  createRng,
  gatherRows,
  denseMatrix,
  noopProgress,
} from "@cia/core";
import type { EffectHeadInput, MetaLearnerSettings } from "./effect-head-input.js";
import { fitEffectHead } from "./fit-effect-head.js";
import type { HeadOptions } from "./learner-factory.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";
import { type PropensityOptions, fitPairwisePropensity } from "./pairwise-propensity.js";
import { type UpliftData, rowsByAction, validateUpliftData } from "./uplift-data.js";
import { type SegmentReport, UpliftModel, type UpliftMember } from "./uplift-model.js";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * Options of `fitUplift`; the meta-learner settings (`combine`, `crossFitFolds`, `stackSplit`,
 * `drScheme`, `drRotationSeed`) are documented on {@link MetaLearnerSettings}.
 *
 * @example
 * const opts: UpliftOptions = { learner: "x", value: { learner: hgb }, cost: { learner: ridge }, bootstrap: { resamples: 20 } };
 */
export interface UpliftOptions extends MetaLearnerSettings {
  /** The meta-learner: "s", "t", "x" or "dr". */
  learner: MetaLearnerKind;
  /** Value head settings (value is usually the harder, noisier label). */
  value: HeadOptions;
  /** Cost head settings; required when the data has a cost column. */
  cost?: HeadOptions | undefined;
  propensity?: PropensityOptions | undefined;
  /**
   * Bootstrap ensemble: `resamples` resamples stratified by action (each arm resampled with
   * replacement to its own size), one learner per resample, mean effects and percentile intervals
   * at `level` (default 0.9). Without it a single model is fitted on the data.
   */
  bootstrap?: { resamples: number; level?: number | undefined } | undefined;
  /**
   * Lifecycle-specific models (needs `data.segment`): a model per segment whose every action has at
   * least `minSupport` training rows (default 50); other segments use the pooled model.
   */
  segments?: { minSupport?: number | undefined; names?: readonly string[] | undefined } | undefined;
  /** Names of the actions (index 0 = no offer); default ["control", "action_1", ...]. */
  actionNames?: readonly string[] | undefined;
  featureNames?: readonly string[] | undefined;
  /** |tau_cost| (or tau_value) at or below this counts as zero in CPIV / CPI; default 1e-9. */
  efficiencyEps?: number | undefined;
  seed?: Seed | undefined;
  progress?: ProgressReporter | undefined;
}

/**
 * Fit a multi-action uplift model with separate value and cost heads: propensities (logged,
 * estimated or constant; clipped and reported), a bootstrap ensemble stratified by action, and
 * lifecycle segments with a pooled fallback.
 *
 * @example
 * const model = fitUplift(
 *   { features, action, value, cost, propensity },
 *   { learner: "x", value: { learner: () => new HistGradientBoosting() }, cost: { learner: () => new Ridge() } },
 * );
 * const { tauValue, tauCost, cpiv } = model.predict(features);
 */
export function fitUplift(data: UpliftData, options: UpliftOptions): UpliftModel {
  const d = validateUpliftData(data);
  const k = d.nActions;
  if (d.cost && !options.cost)
    throw new CiaError<UpliftErrorCode>(
      "invalid_option",
      "data has a cost column: give `cost` head options",
      {},
    );
  const seed = options.seed ?? 0;
  const rng = createRng(seed);
  const progress = options.progress ?? noopProgress;
  const level = options.bootstrap?.level ?? 0.9;
  if (!(level > 0 && level < 1))
    throw new CiaError<UpliftErrorCode>("invalid_option", `bootstrap level must be in (0, 1), got ${level}`, {
      level,
    });
  const resamples = options.bootstrap?.resamples ?? 0;
  if (!Number.isInteger(resamples) || resamples < 0)
    throw new CiaError<UpliftErrorCode>(
      "invalid_option",
      `bootstrap resamples must be a non-negative integer`,
      { resamples },
    );
  const allRows = rowsByAction(d.action, k);
  for (let a = 0; a < k; a++) {
    if (allRows[a]!.length < 2) {
      throw new CiaError<UpliftErrorCode>(
        "insufficient_support",
        `action ${a} has ${allRows[a]!.length} training rows, need at least 2`,
        { action: a },
      );
    }
  }
  const prop = fitPairwisePropensity(
    d.features,
    d.action,
    k,
    d.propensity,
    options.propensity ?? {},
    `${rng.seed}/propensity`,
  );
  const needsPairwise =
    options.learner === "dr" ||
    (options.learner === "x" && (options.combine === "dr-stack" || options.combine === "dr-select"));

  // Shared fit options (e.g. one bin mapper) from the full design matrices, reused by every fit.
  const heads: { key: "value" | "cost"; opts: HeadOptions; y: Float64Array }[] = [
    { key: "value", opts: options.value, y: d.value },
  ];
  if (d.cost && options.cost) heads.push({ key: "cost", opts: options.cost, y: d.cost });
  const shared = heads.map((h) => {
    if (!h.opts.sharedFitOptions) return { plain: undefined, aug: undefined };
    if (options.learner === "s") {
      const p = d.features.cols;
      const n = d.features.rows;
      const aug = denseMatrix(n, p + 1);
      for (let i = 0; i < n; i++) {
        aug.data[i * (p + 1)] = d.action[i]! > 0 ? 1 : 0;
        aug.data.set(d.features.data.subarray(i * p, (i + 1) * p), i * (p + 1) + 1);
      }
      return { plain: undefined, aug: h.opts.sharedFitOptions(aug) };
    }
    return { plain: h.opts.sharedFitOptions(d.features), aug: undefined };
  });

  const fitMembers = (rows: Int32Array, label: string): UpliftMember[] => {
    const count = Math.max(1, resamples);
    const members: UpliftMember[] = [];
    for (let b = 0; b < count; b++) {
      const idx =
        resamples > 0 ? stratifiedResample(rows, d.action, k, rng.split(`${label}/bootstrap/${b}`)) : rows;
      const x =
        idx.length === d.features.rows && idx === rows && isIdentity(rows)
          ? d.features
          : d.features.selectRows(idx);
      const action = Int32Array.from(idx, (i) => d.action[i]!);
      const pairwise = needsPairwise ? gatherRows(prop.train, idx, k) : null;
      const byAction = rowsByAction(action, k);
      const member: Partial<UpliftMember> = { cost: null };
      heads.forEach((h, j) => {
        const input: EffectHeadInput = {
          x,
          action,
          y: Float64Array.from(idx, (i) => h.y[i]!),
          nActions: k,
          rows: byAction,
          pairwise,
          shared: shared[j]!.plain,
          sharedAugmented: shared[j]!.aug,
          // A bootstrap resample repeats units: sample splits inside the learner keep copies together.
          groups: resamples > 0 ? idx : undefined,
        };
        const head = fitEffectHead(input, {
          ...h.opts,
          meta: options.learner,
          combine: options.combine,
          crossFitFolds: options.crossFitFolds,
          stackSplit: options.stackSplit,
          drScheme: options.drScheme,
          drRotationSeed: options.drRotationSeed,
          seed: `${rng.seed}/${label}/${b}/${h.key}`,
        });
        member[h.key] = head;
      });
      members.push(member as UpliftMember);
      progress.advance(1);
    }
    return members;
  };

  const n = d.features.rows;
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  let segmentInfo: { code: number; rows: Int32Array; support: number[]; fallback: boolean }[] = [];
  const minSupport = options.segments?.minSupport ?? 50;
  if (options.segments) {
    if (!d.segment) throw new CiaError<UpliftErrorCode>("invalid_option", "segments need data.segment", {});
    const codes = [...new Set(d.segment)].sort((a, b) => a - b);
    segmentInfo = codes.map((code) => {
      const rows = identity.filter((i) => d.segment![i] === code);
      const support = new Array<number>(k).fill(0);
      for (const i of rows) support[d.action[i]!]!++;
      return { code, rows, support, fallback: support.some((c) => c < minSupport) };
    });
  }
  const perModel = Math.max(1, resamples);
  progress.start("uplift: fitting members", perModel * (1 + segmentInfo.filter((s) => !s.fallback).length));
  const pooled = fitMembers(identity, "pooled");
  const entries = segmentInfo.map((s) => {
    const report: SegmentReport = {
      code: s.code,
      name: options.segments?.names?.[s.code] ?? `segment_${s.code}`,
      rows: s.rows.length,
      support: s.support,
      fallback: s.fallback,
    };
    return { ...report, members: s.fallback ? null : fitMembers(s.rows, `segment-${s.code}`) };
  });
  progress.finish();
  const actionNames = options.actionNames
    ? [...options.actionNames]
    : Array.from({ length: k }, (_, a) => (a === 0 ? "control" : `action_${a}`));
  if (actionNames.length !== k)
    throw new CiaError<UpliftErrorCode>(
      "invalid_option",
      `actionNames has ${actionNames.length} names for ${k} actions`,
      {},
    );
  return new UpliftModel(
    options.learner,
    k,
    d.features.cols,
    actionNames,
    options.featureNames ? [...options.featureNames] : null,
    level,
    options.efficiencyEps ?? 1e-9,
    prop.model,
    prop.report,
    pooled,
    options.segments ? { minSupport, entries } : null,
  );
}

function isIdentity(rows: Int32Array): boolean {
  for (let i = 0; i < rows.length; i++) if (rows[i] !== i) return false;
  return true;
}

/** Each arm's rows resampled with replacement to the arm's own size (stratified bootstrap). */
function stratifiedResample(rows: Int32Array, action: Int32Array, k: number, rng: Rng): Int32Array {
  const byArm: number[][] = Array.from({ length: k }, () => []);
  for (const i of rows) byArm[action[i]!]!.push(i);
  const out = new Int32Array(rows.length);
  let o = 0;
  for (const arm of byArm) {
    if (arm.length === 0) continue;
    const draw = rng.bootstrapIndices(arm.length);
    for (let j = 0; j < draw.length; j++) out[o++] = arm[draw[j]!]!;
  }
  return out;
}
