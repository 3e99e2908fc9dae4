import { CiaError, DataValidationError } from "@cia/core";
import { type CostBias, fitCostBias } from "./cost-bias.js";
import type { CostCohort } from "./cost-bias.js";
import { RedemptionTiming, fitRedemptionTiming, safeFitRedemptionTiming } from "./redemption-timing.js";
import { expectedRemainingLiability } from "./remaining-liability.js";
import type { OpenCohort } from "./remaining-liability.js";
import { todaysBudget } from "./todays-budget.js";
import type { TodaysBudget } from "./todays-budget.js";
import type { PacerErrorCode, PacerIssue } from "./error-codes.js";
import { lengthIssue, pacerIssue } from "./pacer-issue.js";
import { invalidOption } from "./invalid-option.js";

/**
 * Every offer assigned so far (history before the period included), one entry per offer, as flat
 * arrays. Times are in days on one clock (e.g. days since an epoch); the pacer ignores redemptions
 * after the planning time, so a back-test can pass the simulator's full future.
 */
export interface OfferLedger {
  /** Assignment time (days). */
  assignedAt: ArrayLike<number>;
  /** Segment of each offer, an index into `segments`. */
  segment: ArrayLike<number>;
  /** Segment keys (see `segmentKey`). */
  segments: readonly string[];
  /** The cost model's predicted (expected) cost of each offer, before bias calibration. */
  predictedCost: ArrayLike<number>;
  /** Redemption time (days), NaN when not redeemed. */
  redeemedAt: ArrayLike<number>;
  /** Cost realized at redemption (ignored when not redeemed). */
  realizedCost: ArrayLike<number>;
  /**
   * Optional weight of each offer in the timing fit. The amount a redemption would cost (the
   * credit's face value) makes F the share of liability realized; the default, 1 per offer, makes
   * it the share of redemptions (the same when redemption amounts do not depend on the lag).
   */
  timingWeight?: ArrayLike<number> | undefined;
}

export interface PacerOptions {
  /** B_period, in currency units (finite, >= 0). */
  periodBudget: number;
  /** Period length T in days (integer >= 1). */
  periodDays: number;
  /** Start of the period on the ledger's clock (days). Default 0. */
  periodStart?: number | undefined;
  /** Redemption horizon H (days): an offer's redemptions count against the period of its assignment up to H days after assignment. */
  horizonDays: number;
  /** Traffic curve over the period's days (length T); default flat. */
  schedule?: ArrayLike<number> | undefined;
  /** Upper bound on a day's budget. */
  dailyCap?: number | undefined;
  /** Timing curve used as the tail while follow-up is shorter than H, and when nothing has redeemed yet. */
  priorTiming?: RedemptionTiming | undefined;
  /**
   * "segment" (default): a curve per segment, blended with the pooled one by credibility
   * r / (r + timingPriorStrength), r the segment's observed redemptions, so the matured share of a
   * cohort follows its own segment's speed (segments differ, and the period's segment mix can
   * differ from the history's). "pooled": one curve for all offers.
   */
  timingBy?: "pooled" | "segment" | undefined;
  /** Redemptions that make a segment's own timing curve half-trusted (timingBy "segment"). Default 200. */
  timingPriorStrength?: number | undefined;
  /** Bias calibration settings (see `fitCostBias`). */
  priorStrength?: number | undefined;
  shrinkToward?: "pooled" | "one" | undefined;
  halfLifeDays?: number | undefined;
  minRealizedShare?: number | undefined;
  /**
   * Only cohorts assigned at or after this time inform the bias calibration (e.g. when the current
   * cost model was deployed: an older model's errors say little about the new one). Timing still
   * learns from every offer. Default: all cohorts.
   */
  biasSince?: number | undefined;
  /** Reserving method for the remaining liability (see `expectedRemainingLiability`). */
  reserving?: "bornhuetter-ferguson" | "benktander" | undefined;
}

/** One day's plan. */
export interface PacingPlan extends TodaysBudget {
  /** 0-based day within the period. */
  day: number;
  /** Planning time on the ledger clock: periodStart + day (start of the day). */
  asOfDays: number;
  /** Realized cost to date of offers assigned in the period (within the horizon). */
  spendToDate: number;
  /** Expected remaining liability of the period's cohorts. */
  remainingLiability: number;
  /** The fitted timing curve and bias calibration behind the plan. */
  timing: RedemptionTiming;
  /** With timingBy "segment" (the default): the blended curve of each segment seen in the ledger. */
  segmentTiming?: Readonly<Record<string, RedemptionTiming>> | undefined;
  bias: CostBias;
  /**
   * Today's budget in the cost model's units (budget / pooled bias factor), for an optimizer that
   * ranks by raw predicted cost; prefer calibrating each offer's cost with `bias.factor(segment)`.
   */
  modelBudget: number;
}

/**
 * The budget pacer: each day, fits redemption timing (Kaplan-Meier with censoring) and cost bias
 * (credibility-weighted, with forgetting) on the offer ledger, computes the expected remaining
 * liability of the period's open cohorts and today's budget
 * B_today = [B_period - (spend to date + remaining liability)]^+ spread over the remaining days.
 *
 * Accounting ("assignment cohort"): the period's spend is the realized cost of offers assigned in
 * the period, redeemed within H days of assignment, whenever that falls (so it is final H days
 * after the period ends). Redemptions in the period of offers assigned before it belong to the
 * earlier period; they still teach timing and bias.
 *
 * @example
 * const pacer = new Pacer({ periodBudget: 28_000, periodDays: 28, horizonDays: 14 });
 * const plan = pacer.plan(ledger, 5); // plan.budget: today's budget in currency units
 */
export class Pacer {
  readonly options: Readonly<PacerOptions>;

  constructor(options: PacerOptions) {
    const { periodBudget, periodDays, horizonDays } = options;
    if (!(Number.isFinite(periodBudget) && periodBudget >= 0)) {
      throw invalidOption("periodBudget", periodBudget, "a finite number >= 0");
    }
    if (!(Number.isInteger(periodDays) && periodDays >= 1)) {
      throw invalidOption("periodDays", periodDays, "an integer >= 1");
    }
    if (!(Number.isFinite(horizonDays) && horizonDays > 0)) {
      throw invalidOption("horizonDays", horizonDays, "a finite number > 0");
    }
    if (options.timingBy !== undefined && options.timingBy !== "pooled" && options.timingBy !== "segment") {
      throw invalidOption("timingBy", options.timingBy, '"pooled" or "segment"');
    }
    const tk = options.timingPriorStrength;
    if (tk !== undefined && !(Number.isFinite(tk) && tk >= 0)) {
      throw invalidOption("timingPriorStrength", tk, "finite and >= 0");
    }
    if (options.biasSince !== undefined && Number.isNaN(options.biasSince)) {
      throw new CiaError<PacerErrorCode>("invalid_option", "biasSince must not be NaN", {});
    }
    if (options.periodStart !== undefined && !Number.isFinite(options.periodStart)) {
      throw invalidOption("periodStart", options.periodStart, "finite");
    }
    // Surface a bad schedule or cap now rather than on the first plan.
    todaysBudget({
      periodBudget,
      spendToDate: 0,
      remainingLiability: 0,
      day: 0,
      periodDays,
      schedule: options.schedule,
      dailyCap: options.dailyCap,
    });
    this.options = Object.freeze({ ...options });
  }

  /**
   * Plan day `day` (0-based) of the period from the ledger as of the start of that day.
   * Throws `DataValidationError` for malformed ledger entries (non-finite times or costs).
   */
  plan(ledger: OfferLedger, day: number): PacingPlan {
    const o = this.options;
    const start = o.periodStart ?? 0;
    const h = o.horizonDays;
    if (!(Number.isInteger(day) && day >= 0 && day < o.periodDays)) {
      throw new CiaError<PacerErrorCode>(
        "invalid_input",
        `day must be an integer in [0, ${o.periodDays}), got ${day}`,
        {
          day,
        },
      );
    }
    const asOf = start + day;
    const biasSince = o.biasSince ?? Number.NEGATIVE_INFINITY;
    const n = checkLedger(ledger);

    // Timing: every offer assigned before the planning time, censored at its age.
    const ages = new Float64Array(n);
    const lags = new Float64Array(n);
    const weights = new Float64Array(n);
    const segOf = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const at = ledger.assignedAt[i]!;
      const age = asOf - at;
      if (age <= 0) continue;
      const red = ledger.redeemedAt[i]!;
      ages[m] = age;
      lags[m] = Number.isNaN(red) || red > asOf ? Number.NaN : red - at;
      weights[m] = ledger.timingWeight === undefined ? 1 : ledger.timingWeight[i]!;
      segOf[m] = ledger.segment[i]!;
      m++;
    }
    let timing: RedemptionTiming;
    try {
      timing = fitRedemptionTiming(
        { ageDays: ages.subarray(0, m), lagDays: lags.subarray(0, m), weights: weights.subarray(0, m) },
        { horizonDays: h, prior: o.priorTiming },
      );
    } catch (e) {
      if (!(CiaError.isInstance(e) && e.code === "no_redemptions")) throw e;
      timing = o.priorTiming ?? RedemptionTiming.conservative(h);
    }
    const perSegment =
      (o.timingBy ?? "segment") === "segment"
        ? segmentTimings(
            ledger.segments.length,
            segOf,
            ages,
            lags,
            weights,
            m,
            timing,
            h,
            o.timingPriorStrength ?? 200,
          )
        : undefined;

    // Cohorts: offers of one segment assigned on the same calendar day (numeric keys: the ledger
    // can hold millions of offers). Realized cost counts up to the planning time and the horizon.
    const nSeg = ledger.segments.length;
    const index = new Map<number, number>();
    const cDay: number[] = [];
    const cSeg: number[] = [];
    const cForBias: boolean[] = [];
    const cIn: boolean[] = [];
    const cPred: number[] = [];
    const cMat: number[] = [];
    const cReal: number[] = [];
    const cRed: number[] = [];
    const cTime: number[] = [];
    const cCount: number[] = [];
    let spendToDate = 0;
    for (let i = 0; i < n; i++) {
      const at = ledger.assignedAt[i]!;
      if (at >= asOf) continue;
      const seg = ledger.segment[i]!;
      const dayOf = Math.floor(at);
      const forBias = at >= biasSince;
      const inPeriod = at >= start;
      const key = ((dayOf * nSeg + seg) * 2 + (forBias ? 1 : 0)) * 2 + (inPeriod ? 1 : 0);
      let c = index.get(key);
      if (c === undefined) {
        c = cDay.length;
        index.set(key, c);
        cDay.push(dayOf);
        cSeg.push(seg);
        cForBias.push(forBias);
        cIn.push(inPeriod);
        cPred.push(0);
        cMat.push(0);
        cReal.push(0);
        cRed.push(0);
        cTime.push(0);
        cCount.push(0);
      }
      cPred[c]! += ledger.predictedCost[i]!;
      cMat[c]! += ledger.predictedCost[i]! * (perSegment?.[seg] ?? timing).realizedShare(asOf - at);
      cTime[c]! += at;
      cCount[c]!++;
      const red = ledger.redeemedAt[i]!;
      if (!Number.isNaN(red) && red <= asOf && red - at <= h) {
        const cost = ledger.realizedCost[i]!;
        cReal[c]! += cost;
        cRed[c]!++;
        if (inPeriod) spendToDate += cost;
      }
    }
    const all: CostCohort[] = [];
    const open: OpenCohort[] = [];
    for (let c = 0; c < cDay.length; c++) {
      const cohort = {
        segment: ledger.segments[cSeg[c]!]!,
        assignedAt: cTime[c]! / cCount[c]!,
        predictedCost: cPred[c]!,
        realizedCost: cReal[c]!,
        redemptions: cRed[c]!,
        maturedPredictedCost: Math.min(cMat[c]!, cPred[c]!),
      };
      if (cForBias[c]) all.push(cohort);
      if (cIn[c]) open.push(cohort);
    }
    const bias = fitCostBias(all, {
      asOfDays: asOf,
      timing,
      priorStrength: o.priorStrength,
      shrinkToward: o.shrinkToward,
      halfLifeDays: o.halfLifeDays,
      minRealizedShare: o.minRealizedShare,
    });
    // Sums of finite amounts can overflow; a committed amount beyond the float range gives budget 0.
    const remaining = Math.min(
      Number.MAX_VALUE,
      expectedRemainingLiability(open, { asOfDays: asOf, timing, bias, method: o.reserving }).total,
    );
    spendToDate = Math.min(Number.MAX_VALUE, spendToDate);
    const today = todaysBudget({
      periodBudget: o.periodBudget,
      spendToDate,
      remainingLiability: remaining,
      day,
      periodDays: o.periodDays,
      schedule: o.schedule,
      dailyCap: o.dailyCap,
    });
    const pooled = bias.shrinkToward === "pooled" ? bias.pooled.factor : 1;
    return {
      ...today,
      day,
      asOfDays: asOf,
      spendToDate,
      remainingLiability: remaining,
      timing,
      segmentTiming:
        perSegment === undefined
          ? undefined
          : Object.freeze(
              Object.fromEntries(
                perSegment.flatMap((t, j) => (t === undefined ? [] : [[ledger.segments[j]!, t]])),
              ),
            ),
      bias,
      modelBudget: pooled > 0 ? Math.min(Number.MAX_VALUE, today.budget / pooled) : today.budget,
    };
  }
}

/**
 * One timing curve per segment: the segment's own Kaplan-Meier fit (with the pooled curve as the
 * tail prior) blended with the pooled curve, weight r / (r + k) on the segment's own.
 */
function segmentTimings(
  nSeg: number,
  segOf: Int32Array,
  ages: Float64Array,
  lags: Float64Array,
  weights: Float64Array,
  m: number,
  pooled: RedemptionTiming,
  h: number,
  k: number,
): (RedemptionTiming | undefined)[] {
  const count = new Int32Array(nSeg);
  for (let j = 0; j < m; j++) count[segOf[j]!]!++;
  const out: (RedemptionTiming | undefined)[] = new Array(nSeg).fill(undefined);
  for (let s = 0; s < nSeg; s++) {
    if (count[s] === 0) continue;
    const a = new Float64Array(count[s]!);
    const l = new Float64Array(count[s]!);
    const w = new Float64Array(count[s]!);
    let q = 0;
    for (let j = 0; j < m; j++) {
      if (segOf[j] !== s) continue;
      a[q] = ages[j]!;
      l[q] = lags[j]!;
      w[q] = weights[j]!;
      q++;
    }
    const fit = safeFitRedemptionTiming(
      { ageDays: a, lagDays: l, weights: w },
      { horizonDays: h, prior: pooled },
    );
    if (!fit.success) {
      out[s] = pooled;
      continue;
    }
    const own = fit.timing;
    const z = own.redemptions / (own.redemptions + k);
    // The blend of two step functions is a step function on the union of their knots.
    const knots = Array.from(new Set([...own.knots, ...pooled.knots])).sort((x, y) => x - y);
    const shares = knots.map((t) =>
      Math.min(1, z * own.realizedShare(t) + (1 - z) * pooled.realizedShare(t)),
    );
    for (let j = 1; j < shares.length; j++) if (shares[j]! < shares[j - 1]!) shares[j] = shares[j - 1]!;
    out[s] = RedemptionTiming.fromShares({ knots, shares, horizonDays: h });
  }
  return out;
}

function checkLedger(ledger: OfferLedger): number {
  const n = ledger.assignedAt.length;
  const issues: PacerIssue[] = [];
  for (const f of ["segment", "predictedCost", "redeemedAt", "realizedCost"] as const) {
    if (ledger[f].length !== n) issues.push(lengthIssue(f, ledger[f].length, "assignedAt", n));
  }
  if (ledger.timingWeight !== undefined && ledger.timingWeight.length !== n) {
    issues.push(lengthIssue("timingWeight", ledger.timingWeight.length, "assignedAt", n));
  }
  if (issues.length > 0) throw new DataValidationError(issues);
  for (let i = 0; i < n && issues.length < 20; i++) {
    const at = ledger.assignedAt[i]!;
    if (!Number.isFinite(at))
      issues.push(pacerIssue("invalid_time", ["assignedAt", i], `assignedAt must be finite, got ${at}`));
    const s = ledger.segment[i]!;
    if (!(Number.isInteger(s) && s >= 0 && s < ledger.segments.length)) {
      issues.push(
        pacerIssue(
          "invalid_segment",
          ["segment", i],
          `segment must index segments (0..${ledger.segments.length - 1}), got ${s}`,
        ),
      );
    }
    const p = ledger.predictedCost[i]!;
    if (!(Number.isFinite(p) && p >= 0))
      issues.push(
        pacerIssue("invalid_cost", ["predictedCost", i], `predictedCost must be finite and >= 0, got ${p}`),
      );
    const r = ledger.redeemedAt[i]!;
    if (!Number.isNaN(r)) {
      if (!(Number.isFinite(r) && r >= at)) {
        issues.push(
          pacerIssue(
            "invalid_time",
            ["redeemedAt", i],
            `redeemedAt must be NaN or a finite time >= assignedAt, got ${r}`,
          ),
        );
      }
      const c = ledger.realizedCost[i]!;
      if (!(Number.isFinite(c) && c >= 0))
        issues.push(
          pacerIssue("invalid_cost", ["realizedCost", i], `realizedCost must be finite and >= 0, got ${c}`),
        );
    }
  }
  if (issues.length > 0) throw new DataValidationError(issues);
  return n;
}
