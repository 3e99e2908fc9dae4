import { CiaError, type DenseMatrix } from "@cia/core";
import { EffectHead, type EffectHeadJson } from "./effect-head.js";
import { cpi, cpiv } from "./efficiency.js";
import type { ModelLoader } from "./learner-factory.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";
import {
  PairwiseWeightModel,
  type PairwiseWeightJson,
  type PropensityReport,
} from "./pairwise-propensity.js";
import type { UpliftPrediction } from "./uplift-prediction.js";
import { checkFeatureCount } from "./check-feature-count.js";
import { invalidModelJson, modelJsonAt } from "@cia/learners";
import { validateUpliftModelJson } from "./validate-uplift-model-json.js";
import type { UpliftErrorCode } from "./error-codes.js";

/** One fitted member: a value head and an optional cost head fitted on the same (re)sample. */
export interface UpliftMember {
  value: EffectHead;
  cost: EffectHead | null;
}

/** Per-segment outcome of the lifecycle split: fitted on its own, or falling back to the pooled model. */
export interface SegmentReport {
  code: number;
  name: string;
  rows: number;
  /** Training rows per action in this segment. */
  support: number[];
  /** True when some action had fewer than `minSupport` rows, so the pooled model serves it. */
  fallback: boolean;
}

/** The JSON form of a fitted uplift model (`kind: "cia-uplift"`), loadable without training code. */
export interface UpliftModelJson {
  kind: "cia-uplift";
  version: 1;
  meta: MetaLearnerKind;
  nActions: number;
  nFeatures: number;
  actionNames: string[];
  featureNames: string[] | null;
  level: number;
  efficiencyEps: number;
  propensity: { weights: PairwiseWeightJson; report: PropensityReport };
  pooled: { value: EffectHeadJson; cost: EffectHeadJson | null }[];
  segments: {
    minSupport: number;
    entries: (SegmentReport & { members: { value: EffectHeadJson; cost: EffectHeadJson | null }[] | null })[];
  } | null;
}

/** Prediction options. */
export interface UpliftPredictOptions {
  /** Logged action probabilities n x K for these rows (X-learner weights); else the stored weight model. */
  propensity?: Float64Array | undefined;
  /** Segment code per row, for a segmented model (unknown codes use the pooled model). */
  segment?: ArrayLike<number> | undefined;
  /** Also return each bootstrap member's predictions. */
  members?: boolean | undefined;
}

/**
 * A fitted multi-action uplift model: value and cost heads, bootstrap members, optional lifecycle
 * segments with a pooled fallback, and the predict-time propensity weights. Immutable; `toJSON()`
 * and `UpliftModel.fromJSON(json, loadModel)` round-trip it.
 *
 * @example
 * const pred = model.predict(features);
 * pred.tauValue[i * pred.nActions + a]; // incremental value of action a for unit i
 */
export class UpliftModel {
  constructor(
    readonly meta: MetaLearnerKind,
    readonly nActions: number,
    readonly nFeatures: number,
    readonly actionNames: readonly string[],
    readonly featureNames: readonly string[] | null,
    readonly level: number,
    readonly efficiencyEps: number,
    readonly weights: PairwiseWeightModel,
    readonly propensityReport: PropensityReport,
    readonly pooled: readonly UpliftMember[],
    readonly segments: {
      minSupport: number;
      entries: readonly (SegmentReport & { members: readonly UpliftMember[] | null })[];
    } | null,
  ) {}

  /** Number of bootstrap members of the pooled model (1 without bootstrap). */
  get resamples(): number {
    return this.pooled.length;
  }

  /** Segments that fell back to the pooled model. */
  get fallbackSegments(): SegmentReport[] {
    return (this.segments?.entries ?? []).filter((e) => e.fallback).map(({ members: _m, ...r }) => r);
  }

  /** Effects, ratios and intervals for every row of `x` and every action. */
  predict(x: DenseMatrix, options: UpliftPredictOptions = {}): UpliftPrediction {
    checkFeatureCount(x, this.nFeatures);
    const n = x.rows;
    const k = this.nActions;
    const needsG = this.pooled.some((m) => m.value.needsPropensity || m.cost?.needsPropensity);
    let g: Float64Array | null = null;
    if (needsG) {
      if (options.propensity) {
        if (options.propensity.length !== n * k) {
          throw new CiaError<UpliftErrorCode>(
            "invalid_input",
            `propensity must have n x K = ${n * k} values`,
            {
              got: options.propensity.length,
            },
          );
        }
        g = new Float64Array(n * k);
        const clip = this.propensityReport.clip;
        for (let i = 0; i < n; i++) {
          const p0 = options.propensity[i * k]!;
          for (let a = 1; a < k; a++) {
            const pa = options.propensity[i * k + a]!;
            const v = pa + p0 > 0 ? pa / (pa + p0) : 0.5;
            g[i * k + a] = v < clip ? clip : Math.min(v, 1 - clip);
          }
        }
      } else g = this.weights.predict(x);
    }
    const hasCost = this.pooled[0]!.cost !== null;
    const b = this.pooled.length;
    const memberValue = Array.from({ length: b }, () => new Float64Array(n * k));
    const memberCost = hasCost ? Array.from({ length: b }, () => new Float64Array(n * k)) : null;
    // Route rows: segment models where fitted, the pooled model elsewhere.
    const groups = new Map<number, { members: readonly UpliftMember[]; rows: number[] }>();
    const segModels = new Map<number, readonly UpliftMember[]>();
    for (const e of this.segments?.entries ?? []) if (e.members) segModels.set(e.code, e.members);
    if (this.segments && options.segment && options.segment.length !== n) {
      throw new CiaError<UpliftErrorCode>(
        "invalid_input",
        `segment has ${options.segment.length} rows, features ${n}`,
        {},
      );
    }
    for (let i = 0; i < n; i++) {
      const code = this.segments && options.segment ? options.segment[i]! : -1;
      const members = segModels.get(code);
      const key = members ? code : -1;
      let grp = groups.get(key);
      if (!grp) {
        grp = { members: members ?? this.pooled, rows: [] };
        groups.set(key, grp);
      }
      grp.rows.push(i);
    }
    for (const grp of groups.values()) {
      const all = grp.rows.length === n;
      const idx = Int32Array.from(grp.rows);
      const xs = all ? x : x.selectRows(idx);
      const gs = g ? (all ? g : selectMatrixRows(g, idx, k)) : null;
      const mb = grp.members.length;
      for (let m = 0; m < b; m++) {
        // A segment ensemble may have a different member count; cycle through it.
        const member = grp.members[m % mb]!;
        scatter(member.value.predictEffect(xs, gs), idx, memberValue[m]!, k, all);
        if (memberCost && member.cost)
          scatter(member.cost.predictEffect(xs, gs), idx, memberCost[m]!, k, all);
      }
    }
    const tauValue = meanOf(memberValue);
    const tauCost = memberCost ? meanOf(memberCost) : null;
    let ratioV: Float64Array | null = null;
    let ratioC: Float64Array | null = null;
    if (tauCost) {
      ratioV = new Float64Array(n * k);
      ratioC = new Float64Array(n * k);
      for (let j = 0; j < n * k; j++) {
        ratioV[j] = j % k === 0 ? 0 : cpiv(tauValue[j]!, tauCost[j]!, this.efficiencyEps);
        ratioC[j] = j % k === 0 ? 0 : cpi(tauValue[j]!, tauCost[j]!, this.efficiencyEps);
      }
    }
    let intervals: UpliftPrediction["intervals"] = null;
    if (b >= 2) {
      const [vl, vu] = percentileBands(memberValue, this.level);
      const [cl, cu] = memberCost ? percentileBands(memberCost, this.level) : [null, null];
      intervals = {
        level: this.level,
        tauValueLower: vl,
        tauValueUpper: vu,
        tauCostLower: cl,
        tauCostUpper: cu,
      };
    }
    const out: UpliftPrediction = { n, nActions: k, tauValue, tauCost, cpiv: ratioV, cpi: ratioC, intervals };
    if (options.members) out.members = { tauValue: memberValue, tauCost: memberCost };
    return out;
  }

  toJSON(): UpliftModelJson {
    const mj = (ms: readonly UpliftMember[]) =>
      ms.map((m) => ({ value: m.value.toJSON(), cost: m.cost ? m.cost.toJSON() : null }));
    return {
      kind: "cia-uplift",
      version: 1,
      meta: this.meta,
      nActions: this.nActions,
      nFeatures: this.nFeatures,
      actionNames: [...this.actionNames],
      featureNames: this.featureNames ? [...this.featureNames] : null,
      level: this.level,
      efficiencyEps: this.efficiencyEps,
      propensity: { weights: this.weights.toJSON(), report: this.propensityReport },
      pooled: mj(this.pooled),
      segments: this.segments
        ? {
            minSupport: this.segments.minSupport,
            entries: this.segments.entries.map((e) => ({
              ...e,
              support: [...e.support],
              members: e.members ? mj(e.members) : null,
            })),
          }
        : null,
    };
  }

  /**
   * Rebuild a model from its JSON with a base-model loader (`loadModel` of @cia/learners). The
   * JSON is validated before any of it is used (`validateUpliftModelJson`, then each head and
   * base model by its own loader, and every base model must read the model's feature count); a
   * problem throws `invalid_model` whose message and `details` carry its JSON path.
   *
   * @example
   * const model = UpliftModel.fromJSON(JSON.parse(text), loadModel);
   */
  static fromJSON(input: UpliftModelJson, loadModel: ModelLoader): UpliftModel {
    if ((input as { kind?: unknown } | null)?.kind !== "cia-uplift" || input.version !== 1) {
      throw new CiaError<UpliftErrorCode>("invalid_model", "not a cia-uplift model (version 1)", {
        kind: (input as { kind?: unknown })?.kind,
        path: [],
        reason: "not a cia-uplift model (version 1)",
      });
    }
    const checked = validateUpliftModelJson(input);
    if (!checked.success) throw invalidModelJson(checked.problem.path, checked.problem.reason);
    const json = checked.data;
    const members = (
      ms: { value: EffectHeadJson; cost: EffectHeadJson | null }[],
      at: (string | number)[],
    ): UpliftMember[] =>
      ms.map((m, j) => ({
        value: modelJsonAt([...at, j, "value"], () => EffectHead.fromJSON(m.value, loadModel)),
        cost: m.cost ? modelJsonAt([...at, j, "cost"], () => EffectHead.fromJSON(m.cost!, loadModel)) : null,
      }));
    const checkedLoader: ModelLoader = (m) => {
      const model = loadModel(m);
      if (model.nFeatures !== json.nFeatures)
        throw invalidModelJson([], `reads ${model.nFeatures} features, the model has ${json.nFeatures}`);
      return model;
    };
    const weights = modelJsonAt(["propensity", "weights"], () =>
      PairwiseWeightModel.fromJSON(json.propensity.weights, checkedLoader),
    );
    return new UpliftModel(
      json.meta,
      json.nActions,
      json.nFeatures,
      json.actionNames,
      json.featureNames,
      json.level,
      json.efficiencyEps,
      weights,
      json.propensity.report,
      members(json.pooled, ["pooled"]),
      json.segments
        ? {
            minSupport: json.segments.minSupport,
            entries: json.segments.entries.map((e, j) => ({
              ...e,
              members: e.members ? members(e.members, ["segments", "entries", j, "members"]) : null,
            })),
          }
        : null,
    );
  }
}

function selectMatrixRows(m: Float64Array, idx: Int32Array, k: number): Float64Array {
  const out = new Float64Array(idx.length * k);
  for (let j = 0; j < idx.length; j++) out.set(m.subarray(idx[j]! * k, idx[j]! * k + k), j * k);
  return out;
}

function scatter(src: Float64Array, idx: Int32Array, dst: Float64Array, k: number, all: boolean): void {
  if (all) {
    dst.set(src);
    return;
  }
  for (let j = 0; j < idx.length; j++) dst.set(src.subarray(j * k, j * k + k), idx[j]! * k);
}

function meanOf(list: Float64Array[]): Float64Array {
  const out = new Float64Array(list[0]!.length);
  for (const m of list) for (let j = 0; j < out.length; j++) out[j]! += m[j]!;
  for (let j = 0; j < out.length; j++) out[j] = out[j]! / list.length;
  return out;
}

/** Per-cell percentile band over members (numpy linear quantiles). */
function percentileBands(list: Float64Array[], level: number): [Float64Array, Float64Array] {
  const b = list.length;
  const len = list[0]!.length;
  const lo = new Float64Array(len);
  const hi = new Float64Array(len);
  const buf = new Float64Array(b);
  const qa = ((1 - level) / 2) * (b - 1);
  const qb = (1 - (1 - level) / 2) * (b - 1);
  const at = (q: number): number => {
    const f = Math.floor(q);
    const c = Math.min(b - 1, f + 1);
    return buf[f]! + (buf[c]! - buf[f]!) * (q - f);
  };
  for (let j = 0; j < len; j++) {
    for (let m = 0; m < b; m++) buf[m] = list[m]![j]!;
    buf.sort();
    lo[j] = at(qa);
    hi[j] = at(qb);
  }
  return [lo, hi];
}
