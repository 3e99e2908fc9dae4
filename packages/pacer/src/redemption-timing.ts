import { CiaError, DataValidationError } from "@cia/core";
import { kaplanMeier } from "./kaplan-meier.js";
import type { PacerErrorCode, PacerIssue } from "./error-codes.js";
import { lengthIssue, pacerIssue } from "./pacer-issue.js";
import { invalidOption } from "./invalid-option.js";
import { safely } from "./safely.js";

/** History of assigned offers as of one observation time, for fitting the redemption lag. */
export interface RedemptionHistory {
  /** Days from assignment to the observation time (the follow-up), per offer; finite, >= 0. */
  ageDays: ArrayLike<number>;
  /**
   * Days from assignment to redemption, NaN when not redeemed (yet). A lag above the offer's age
   * is ignored (the redemption lies after the observation time), so a simulator's full future can
   * be passed for back-testing without leaking it.
   */
  lagDays: ArrayLike<number>;
  /** Optional weights, e.g. predicted cost, for a liability-weighted curve; finite, >= 0. */
  weights?: ArrayLike<number> | undefined;
}

export interface RedemptionTimingOptions {
  /**
   * Redemption horizon H in days: offers expire (or the accounting stops) H days after assignment,
   * so F(H) = 1 and later redemptions are ignored.
   */
  horizonDays: number;
  /**
   * Curve to splice in beyond the end of follow-up when no offer has been followed for H days yet
   * (e.g. last period's fit). Without it, an incomplete fit is normalized at the end of follow-up.
   */
  prior?: RedemptionTiming | undefined;
}

/** JSON form of a fitted {@link RedemptionTiming}. */
export interface RedemptionTimingJSON {
  kind: "redemption-timing";
  version: 1;
  horizonDays: number;
  knots: number[];
  shares: number[];
  eventualShare: number | null;
  followUpDays: number;
  followUpComplete: boolean;
  offers: number;
  redemptions: number;
}

/**
 * A fitted redemption-timing curve F(d): the share of a cohort's eventual liability realized d days
 * after assignment.
 *
 * Estimand. Redemption is a defective ("cured") time-to-event: most offers never redeem. With L the
 * redemption lag (infinite for offers never redeemed) and H the redemption horizon,
 * F(d) = P(L <= d | L <= H) = (1 - S(d)) / (1 - S(H)), where S is the Kaplan-Meier survival of L
 * over all offers, censored at each offer's age for offers not redeemed yet. 1 - S(H) is the
 * eventual redemption rate (`eventualShare`). With case weights w (e.g. predicted cost), F is the
 * liability-weighted share; unweighted, F is the liability share when the amount redeemed does not
 * depend on the lag. F is a right-continuous step function: 0 before the first redemption time,
 * 1 from H on.
 *
 * @example
 * const timing = RedemptionTiming.fromShares({ knots: [1, 3], shares: [0.5, 1], horizonDays: 3 });
 * timing.realizedShare(2);   // 0.5
 * timing.remainingShare(2);  // 0.5
 * timing.ageAtShare(0.9);    // 3
 */
export class RedemptionTiming {
  readonly horizonDays: number;
  /** Ages (days) where F jumps, ascending, all < horizonDays. */
  readonly knots: Float64Array;
  /** F at each knot (non-decreasing, in [0, 1]). */
  readonly shares: Float64Array;
  /** Eventual redemption rate 1 - S(H) (per offer, or per unit of weight); null if unknown. */
  readonly eventualShare: number | null;
  /** Longest follow-up in the data (days), capped at the horizon. */
  readonly followUpDays: number;
  /** True when some offer was followed for the whole horizon, so F needs no extrapolation. */
  readonly followUpComplete: boolean;
  readonly offers: number;
  readonly redemptions: number;

  private constructor(json: Omit<RedemptionTimingJSON, "kind" | "version">) {
    this.horizonDays = json.horizonDays;
    this.knots = Float64Array.from(json.knots);
    this.shares = Float64Array.from(json.shares);
    this.eventualShare = json.eventualShare;
    this.followUpDays = json.followUpDays;
    this.followUpComplete = json.followUpComplete;
    this.offers = json.offers;
    this.redemptions = json.redemptions;
    Object.freeze(this);
  }

  /**
   * A curve given directly: `shares[j]` is F at age `knots[j]` (a step function).
   *
   * @example
   * RedemptionTiming.fromShares({ knots: [0, 7], shares: [0.2, 0.9], horizonDays: 14 }).realizedShare(10); // 0.9
   */
  static fromShares(options: {
    knots: ArrayLike<number>;
    shares: ArrayLike<number>;
    horizonDays: number;
  }): RedemptionTiming {
    const { knots, shares, horizonDays } = options;
    checkHorizon(horizonDays);
    const issues: PacerIssue[] = [];
    if (knots.length !== shares.length) {
      issues.push(lengthIssue("shares", shares.length, "knots", knots.length));
    }
    let prevK = Number.NEGATIVE_INFINITY;
    let prevS = 0;
    for (let j = 0; j < Math.min(knots.length, shares.length); j++) {
      const k = knots[j]!;
      const s = shares[j]!;
      if (!(Number.isFinite(k) && k >= 0 && k > prevK)) {
        issues.push(
          pacerIssue("invalid_knot", ["knots", j], `knots must be finite, >= 0 and increasing, got ${k}`),
        );
      }
      if (!(s >= prevS && s <= 1)) {
        issues.push(
          pacerIssue("invalid_share", ["shares", j], `shares must be non-decreasing in [0, 1], got ${s}`),
        );
      }
      prevK = k;
      prevS = Number.isFinite(s) ? s : prevS;
    }
    if (issues.length > 0) throw new DataValidationError(issues);
    const kk: number[] = [];
    const ss: number[] = [];
    for (let j = 0; j < knots.length; j++) {
      if (knots[j]! < horizonDays) {
        kk.push(knots[j]!);
        ss.push(shares[j]!);
      }
    }
    return new RedemptionTiming({
      horizonDays,
      knots: kk,
      shares: ss,
      eventualShare: null,
      followUpDays: horizonDays,
      followUpComplete: true,
      offers: 0,
      redemptions: 0,
    });
  }

  /**
   * The curve to use before any redemption has been seen: nothing is realized before the horizon
   * (F = 0 on [0, H)), so the whole predicted liability of every open cohort counts as remaining.
   * Consistent with zero observed spend, and never under-reserves.
   *
   * @example
   * RedemptionTiming.conservative(14).remainingShare(3); // 1
   */
  static conservative(horizonDays: number): RedemptionTiming {
    return RedemptionTiming.fromShares({ knots: [], shares: [], horizonDays });
  }

  /**
   * Load a curve saved with `toJSON`.
   *
   * @example
   * const copy = RedemptionTiming.fromJSON(JSON.parse(JSON.stringify(timing)));
   */
  static fromJSON(json: RedemptionTimingJSON): RedemptionTiming {
    if (json?.kind !== "redemption-timing" || json.version !== 1) {
      throw new CiaError<PacerErrorCode>("invalid_model", "not a redemption-timing v1 JSON object", {
        kind: json?.kind,
        version: json?.version,
      });
    }
    const base = RedemptionTiming.fromShares({
      knots: json.knots,
      shares: json.shares,
      horizonDays: json.horizonDays,
    });
    return new RedemptionTiming({
      horizonDays: base.horizonDays,
      knots: Array.from(base.knots),
      shares: Array.from(base.shares),
      eventualShare: json.eventualShare,
      followUpDays: json.followUpDays,
      followUpComplete: json.followUpComplete,
      offers: json.offers,
      redemptions: json.redemptions,
    });
  }

  /**
   * F(age): share of a cohort's eventual liability realized by `ageDays` after assignment.
   * Ages below 0 give 0, ages at or above the horizon give 1; NaN is rejected.
   */
  realizedShare(ageDays: number): number {
    if (Number.isNaN(ageDays))
      throw new CiaError<PacerErrorCode>("invalid_input", "age must not be NaN", { ageDays });
    if (ageDays >= this.horizonDays) return 1;
    // Binary search for the last knot <= age.
    let lo = 0;
    let hi = this.knots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.knots[mid]! <= ageDays) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.shares[lo - 1]!;
  }

  /** 1 - F(age): the share of a cohort's eventual liability still to come at `ageDays`. */
  remainingShare(ageDays: number): number {
    return 1 - this.realizedShare(ageDays);
  }

  /**
   * Inverse of F: the smallest age at which at least share `q` of the liability is realized
   * (q in [0, 1]); e.g. `ageAtShare(0.95)` is how long a cohort stays materially open.
   */
  ageAtShare(q: number): number {
    if (!(q >= 0 && q <= 1))
      throw new CiaError<PacerErrorCode>("invalid_input", `share must be in [0, 1], got ${q}`, { q });
    if (q === 0) return 0;
    for (let j = 0; j < this.knots.length; j++) if (this.shares[j]! >= q) return this.knots[j]!;
    return this.horizonDays;
  }

  toJSON(): RedemptionTimingJSON {
    return {
      kind: "redemption-timing",
      version: 1,
      horizonDays: this.horizonDays,
      knots: Array.from(this.knots),
      shares: Array.from(this.shares),
      eventualShare: this.eventualShare,
      followUpDays: this.followUpDays,
      followUpComplete: this.followUpComplete,
      offers: this.offers,
      redemptions: this.redemptions,
    };
  }

  /** @internal used by {@link fitRedemptionTiming}. */
  static create(json: Omit<RedemptionTimingJSON, "kind" | "version">): RedemptionTiming {
    return new RedemptionTiming(json);
  }
}

function checkHorizon(horizonDays: number): void {
  if (!(Number.isFinite(horizonDays) && horizonDays > 0)) {
    throw invalidOption("horizonDays", horizonDays, "a finite number > 0");
  }
}

/**
 * Fit the redemption-timing curve F by Kaplan-Meier on the redemption lag, with every offer not
 * redeemed yet right-censored at its age (capped at the horizon), and the defective distribution
 * normalized at the horizon (see {@link RedemptionTiming} for the estimand).
 *
 * When no offer has been followed for the whole horizon, S(H) is not identified: with `prior`,
 * the prior curve supplies the tail (F(d) = F_prior(c) (1 - S(d)) / (1 - S(c)) for d <= c, the end
 * of follow-up, and F_prior(d) beyond); without it, F is normalized at c (it then overstates how
 * mature young cohorts are until follow-up reaches H). Throws `no_redemptions` when there is no
 * redemption to learn from (use `RedemptionTiming.conservative` or a prior then).
 *
 * @example
 * const timing = fitRedemptionTiming(
 *   { ageDays: [10, 10, 10, 10], lagDays: [1, 3, Number.NaN, Number.NaN] },
 *   { horizonDays: 7 },
 * );
 * timing.realizedShare(1); // 0.5
 * timing.eventualShare;    // 0.5
 */
export function fitRedemptionTiming(
  history: RedemptionHistory,
  options: RedemptionTimingOptions,
): RedemptionTiming {
  const h = options.horizonDays;
  checkHorizon(h);
  const { ageDays, lagDays, weights } = history;
  const n = ageDays.length;
  const issues: PacerIssue[] = [];
  if (lagDays.length !== n) {
    issues.push(lengthIssue("lagDays", lagDays.length, "ageDays", n));
    throw new DataValidationError(issues);
  }
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  let redemptions = 0;
  for (let i = 0; i < n && issues.length < 20; i++) {
    const age = ageDays[i]!;
    const lag = lagDays[i]!;
    if (!(Number.isFinite(age) && age >= 0)) {
      issues.push(pacerIssue("invalid_age", ["ageDays", i], `age must be a finite number >= 0, got ${age}`));
      continue;
    }
    if (!Number.isNaN(lag) && !(lag >= 0)) {
      issues.push(
        pacerIssue("invalid_lag", ["lagDays", i], `lag must be >= 0 or NaN (not redeemed), got ${lag}`),
      );
      continue;
    }
    const follow = Math.min(age, h);
    // Redeemed within both the follow-up and the horizon: an event; otherwise censored.
    if (!Number.isNaN(lag) && lag <= follow) {
      time[i] = lag;
      event[i] = 1;
      redemptions++;
    } else {
      time[i] = follow;
    }
  }
  if (issues.length > 0) throw new DataValidationError(issues);
  const km = kaplanMeier(time, event, weights);
  if (km.totalEvents <= 0) {
    throw new CiaError<PacerErrorCode>(
      "no_redemptions",
      "no redemption observed yet: the redemption lag cannot be fitted",
      {
        offers: n,
      },
    );
  }
  // 1 - S at the end of follow-up: S is constant after its last event time.
  const sEnd = km.survival[km.survival.length - 1]!;
  // S is known up to H when someone is still at risk at H (censored there) or S has reached 0.
  const complete = km.maxTime >= h || sEnd === 0;
  const followUp = complete ? h : km.maxTime;
  const prior = options.prior;
  const usePrior = !complete && prior !== undefined;
  const scale = usePrior ? prior.realizedShare(followUp) : 1;
  const knots: number[] = [];
  const shares: number[] = [];
  for (let j = 0; j < km.times.length; j++) {
    const t = km.times[j]!;
    if (t >= h) break;
    knots.push(t);
    shares.push(Math.min(1, (scale * (1 - km.survival[j]!)) / (1 - sEnd)));
  }
  if (usePrior) {
    // Beyond the end of follow-up the prior's shape takes over.
    for (let j = 0; j < prior.knots.length; j++) {
      const t = prior.knots[j]!;
      if (t > followUp && t < h) {
        knots.push(t);
        shares.push(Math.max(prior.shares[j]!, shares[shares.length - 1] ?? 0));
      }
    }
  }
  return RedemptionTiming.create({
    horizonDays: h,
    knots,
    shares,
    eventualShare: complete ? 1 - sEnd : usePrior && scale > 0 ? (1 - sEnd) / scale : null,
    followUpDays: followUp,
    followUpComplete: complete,
    offers: n,
    redemptions,
  });
}

/**
 * Like {@link fitRedemptionTiming} but returns `{ success, timing }` or `{ success: false, error }`
 * instead of throwing.
 *
 * @example
 * const r = safeFitRedemptionTiming({ ageDays: [], lagDays: [] }, { horizonDays: 14 });
 * if (!r.success) r.error.code; // "no_redemptions"
 */
export function safeFitRedemptionTiming(
  history: RedemptionHistory,
  options: RedemptionTimingOptions,
): { success: true; timing: RedemptionTiming } | { success: false; error: CiaError } {
  return safely("timing", () => fitRedemptionTiming(history, options));
}
