import { CiaError, DataValidationError } from "@cia/core";
import type { RedemptionTiming } from "./redemption-timing.js";
import type { PacerErrorCode, PacerIssue } from "./error-codes.js";
import { cohortIssue } from "./pacer-issue.js";
import { invalidOption } from "./invalid-option.js";
import { safely } from "./safely.js";

/**
 * One cohort of assigned offers (a segment on one assignment day) as seen at the observation
 * time: what the cost model predicted for it, and what has been redeemed so far.
 */
export interface CostCohort {
  /** Segment key, e.g. from `segmentKey({ program, action, lifecycle })`. */
  segment: string;
  /** Assignment time in days (same clock as `asOfDays`). */
  assignedAt: number;
  /** Predicted eventual cost of the cohort (sum over its offers of the model's expected cost). */
  predictedCost: number;
  /** Cost realized (redeemed) by the observation time. */
  realizedCost: number;
  /** Number of redemptions by the observation time: the evidence behind `realizedCost`. */
  redemptions: number;
  /**
   * Optional sum over the cohort's offers of predicted cost x F(own age). When given it replaces
   * predictedCost x F(cohort age), which is exact only if all offers share one assignment time
   * (F is not linear, so F at the mean age is not the mean of F over a day's spread of ages).
   */
  maturedPredictedCost?: number | undefined;
}

export interface CostBiasOptions {
  /** Observation time in days; cohort age is `asOfDays - assignedAt`. */
  asOfDays: number;
  /** Redemption timing, to compare realized cost with the matured part of the prediction only. */
  timing: RedemptionTiming;
  /**
   * Prior strength k of the credibility weighting, in redemptions: a segment with m (forgetting
   * weighted) redemptions gets weight Z = m / (m + k) on its own ratio. Default 100.
   */
  priorStrength?: number | undefined;
  /**
   * What small segments shrink toward: "pooled" (default; the all-segment factor, itself shrunk
   * toward 1 with the same k) or "one" (no bias).
   */
  shrinkToward?: "pooled" | "one" | undefined;
  /** Exponential forgetting: a cohort assigned `a` days ago weighs 0.5^(a / halfLifeDays). Default 28; Infinity disables. */
  halfLifeDays?: number | undefined;
  /** Skip cohorts whose expected matured share F(age) is below this (too young to say much). Default 0. */
  minRealizedShare?: number | undefined;
}

/** Per-segment calibration detail. */
export interface SegmentBias {
  /** The calibrated factor: credibility blend of `raw` and the shrinkage target. */
  factor: number;
  /** Realized / matured predicted cost (NaN without matured exposure). */
  raw: number;
  /** Credibility weight Z in [0, 1]. */
  credibility: number;
  /** Forgetting-weighted matured predicted cost sum(w * predicted * F(age)). */
  maturedPredicted: number;
  /** Forgetting-weighted realized cost. */
  realized: number;
  /** Forgetting-weighted redemptions. */
  redemptions: number;
}

/** JSON form of {@link CostBias}. */
export interface CostBiasJSON {
  kind: "cost-bias";
  version: 1;
  shrinkToward: "pooled" | "one";
  pooled: SegmentBias;
  segments: Record<string, SegmentBias>;
}

/**
 * Fitted cost-model bias: multiply a predicted cost by `factor(segment)` to get the expected
 * realized cost. Immutable; serializes to JSON.
 *
 * @example
 * const bias = CostBias.fromJSON(json);
 * const expected = predicted * bias.factor(segmentKey({ action: "offer_10" }));
 */
export class CostBias {
  readonly shrinkToward: "pooled" | "one";
  readonly pooled: Readonly<SegmentBias>;
  readonly segments: Readonly<Record<string, Readonly<SegmentBias>>>;

  private constructor(json: Omit<CostBiasJSON, "kind" | "version">) {
    this.shrinkToward = json.shrinkToward;
    this.pooled = Object.freeze({ ...json.pooled });
    const segs: Record<string, SegmentBias> = {};
    for (const [k, v] of Object.entries(json.segments)) segs[k] = Object.freeze({ ...v });
    this.segments = Object.freeze(segs);
    Object.freeze(this);
  }

  /**
   * No bias: every factor is 1 (the prior before any cost has been realized).
   *
   * @example
   * CostBias.none().factor("anything"); // 1
   */
  static none(): CostBias {
    return new CostBias({
      shrinkToward: "one",
      pooled: {
        factor: 1,
        raw: Number.NaN,
        credibility: 0,
        maturedPredicted: 0,
        realized: 0,
        redemptions: 0,
      },
      segments: {},
    });
  }

  /**
   * Load a calibration saved with `toJSON` (NaN `raw` values may arrive as null).
   *
   * @example
   * const copy = CostBias.fromJSON(JSON.parse(JSON.stringify(bias)));
   */
  static fromJSON(json: CostBiasJSON): CostBias {
    if (json?.kind !== "cost-bias" || json.version !== 1) {
      throw new CiaError<PacerErrorCode>("invalid_model", "not a cost-bias v1 JSON object", {
        kind: json?.kind,
        version: json?.version,
      });
    }
    const fix = (s: SegmentBias, where: string): SegmentBias => {
      if (!(Number.isFinite(s.factor) && s.factor >= 0)) {
        throw new CiaError<PacerErrorCode>(
          "invalid_model",
          `bias factor of ${where} must be finite and >= 0, got ${s.factor}`,
          { where },
        );
      }
      return { ...s, raw: s.raw === null ? Number.NaN : s.raw };
    };
    const segments: Record<string, SegmentBias> = {};
    for (const [k, v] of Object.entries(json.segments)) segments[k] = fix(v, k);
    return new CostBias({ shrinkToward: json.shrinkToward, pooled: fix(json.pooled, "pooled"), segments });
  }

  /** @internal used by {@link fitCostBias}. */
  static create(json: Omit<CostBiasJSON, "kind" | "version">): CostBias {
    return new CostBias(json);
  }

  /** Expected realized / predicted cost for a segment; unseen segments get the shrinkage target. */
  factor(segment: string): number {
    const s = this.segments[segment];
    if (s !== undefined) return s.factor;
    return this.shrinkToward === "pooled" ? this.pooled.factor : 1;
  }

  toJSON(): CostBiasJSON {
    return {
      kind: "cost-bias",
      version: 1,
      shrinkToward: this.shrinkToward,
      pooled: { ...this.pooled },
      segments: { ...this.segments },
    };
  }
}

/**
 * Calibrate the cost model's bias by segment: realized cost against the matured part of the
 * predicted cost, with credibility shrinkage and exponential forgetting.
 *
 * For each segment s, over its cohorts c with forgetting weight w_c = 0.5^(age_c / halfLife):
 * raw_s = sum w_c R_c / sum w_c P_c F(age_c) (realized over timing-adjusted predicted: comparing
 * with the full prediction would read young cohorts as under-spending), m_s = sum w_c n_c
 * (redemptions), Z_s = m_s / (m_s + k), and factor_s = Z_s raw_s + (1 - Z_s) target, where the
 * target is 1 or the pooled factor (the same blend over all segments, shrunk toward 1). This is
 * Buhlmann-Straub credibility with the redemption count as exposure; k is the ratio of within- to
 * between-segment variance, i.e. how many redemptions make a segment's own ratio half-trusted.
 *
 * @example
 * const bias = fitCostBias(
 *   [{ segment: "a", assignedAt: 0, predictedCost: 100, realizedCost: 120, redemptions: 1000 }],
 *   { asOfDays: 30, timing: RedemptionTiming.conservative(14), priorStrength: 0, halfLifeDays: Infinity },
 * );
 * bias.factor("a"); // 1.2
 */
export function fitCostBias(cohorts: readonly CostCohort[], options: CostBiasOptions): CostBias {
  const k = options.priorStrength ?? 100;
  const halfLife = options.halfLifeDays ?? 28;
  const minShare = options.minRealizedShare ?? 0;
  const shrinkToward = options.shrinkToward ?? "pooled";
  const asOf = options.asOfDays;
  if (!(Number.isFinite(k) && k >= 0)) throw invalidOption("priorStrength", k, "finite and >= 0");
  if (!(halfLife > 0)) throw invalidOption("halfLifeDays", halfLife, "> 0 (Infinity disables forgetting)");
  if (!(minShare >= 0 && minShare <= 1)) throw invalidOption("minRealizedShare", minShare, "in [0, 1]");
  if (!Number.isFinite(asOf)) throw invalidOption("asOfDays", asOf, "finite");
  if (shrinkToward !== "pooled" && shrinkToward !== "one") {
    throw invalidOption("shrinkToward", shrinkToward, '"pooled" or "one"');
  }

  const issues: PacerIssue[] = [];
  const acc = new Map<string, { e: number; r: number; m: number }>();
  let te = 0;
  let tr = 0;
  let tm = 0;
  for (let i = 0; i < cohorts.length; i++) {
    const c = cohorts[i]!;
    const bad = (field: string, v: unknown) => issues.push(cohortIssue(i, field, "a finite number >= 0", v));
    if (!(Number.isFinite(c.predictedCost) && c.predictedCost >= 0)) bad("predictedCost", c.predictedCost);
    if (!(Number.isFinite(c.realizedCost) && c.realizedCost >= 0)) bad("realizedCost", c.realizedCost);
    if (!(Number.isFinite(c.redemptions) && c.redemptions >= 0)) bad("redemptions", c.redemptions);
    if (
      c.maturedPredictedCost !== undefined &&
      !(c.maturedPredictedCost >= 0 && c.maturedPredictedCost <= c.predictedCost * (1 + 1e-12))
    ) {
      issues.push(cohortIssue(i, "maturedPredictedCost", "in [0, predictedCost]", c.maturedPredictedCost));
    }
    if (!Number.isFinite(c.assignedAt)) {
      issues.push(cohortIssue(i, "assignedAt", "finite", c.assignedAt));
    }
    if (issues.length >= 20) break;
    if (issues.length > 0) continue;
    const age = asOf - c.assignedAt;
    if (age < 0) continue; // assigned after the observation time: not data yet
    const matured = c.maturedPredictedCost;
    const f =
      matured !== undefined && c.predictedCost > 0
        ? matured / c.predictedCost
        : options.timing.realizedShare(age);
    if (f <= 0 || f < minShare) continue;
    const w = Number.isFinite(halfLife) ? 0.5 ** (age / halfLife) : 1;
    const e = w * (matured ?? c.predictedCost * f);
    const r = w * c.realizedCost;
    const m = w * c.redemptions;
    const a = acc.get(c.segment);
    if (a === undefined) acc.set(c.segment, { e, r, m });
    else {
      a.e += e;
      a.r += r;
      a.m += m;
    }
    te += e;
    tr += r;
    tm += m;
  }
  if (issues.length > 0) throw new DataValidationError(issues);

  const blend = (e: number, r: number, m: number, target: number): SegmentBias => {
    const raw = e > 0 ? r / e : Number.NaN;
    // Sums beyond the float range (absurd inputs) carry no usable ratio: stay at the target.
    const z = Number.isFinite(raw) && Number.isFinite(e) && Number.isFinite(r) && m > 0 ? m / (m + k) : 0;
    return {
      factor: z > 0 ? z * raw + (1 - z) * target : target,
      raw,
      credibility: z,
      maturedPredicted: e,
      realized: r,
      redemptions: m,
    };
  };
  const pooled = blend(te, tr, tm, 1);
  const target = shrinkToward === "pooled" ? pooled.factor : 1;
  const segments: Record<string, SegmentBias> = {};
  for (const [key, a] of acc) segments[key] = blend(a.e, a.r, a.m, target);
  return CostBias.create({ shrinkToward, pooled, segments });
}

/**
 * Like {@link fitCostBias} but returns `{ success, bias }` or `{ success: false, error }`.
 *
 * @example
 * const r = safeFitCostBias(cohorts, { asOfDays: 10, timing });
 * const bias = r.success ? r.bias : CostBias.none();
 */
export function safeFitCostBias(
  cohorts: readonly CostCohort[],
  options: CostBiasOptions,
): { success: true; bias: CostBias } | { success: false; error: CiaError } {
  return safely("bias", () => fitCostBias(cohorts, options));
}
