import { CiaError } from "@cia/core";
import { type OfferLedger, Pacer, type PacerOptions, type PacingPlan } from "./pacer.js";
import { todaysBudget } from "./todays-budget.js";
import type { PacerErrorCode } from "./error-codes.js";

/**
 * How a simulated period sets each day's budget. `"pacer"`: the liability-aware `Pacer` (spend to
 * date + expected remaining liability, calibrated timing and bias); `"naive"`: B x w_d / sum w a day
 * in the cost model's units, ignoring liability and bias; `"naive-cash"`: (B - cash redeemed so far)
 * spread over the remaining days, ignoring liability.
 *
 * @example
 * const strategy: PeriodPacingStrategy = "pacer";
 */
export type PeriodPacingStrategy = "pacer" | "naive" | "naive-cash";

/**
 * Offers assigned on one clock (days; the period starts at 0, history is before it), one entry per
 * offer, with what became of them: the fields of an `OfferLedger`, plus the simulation's truth.
 *
 * @example
 * const offers: PeriodOffers = { assignedAt: [0.5], predictedCost: [4], redeemedAt: [3.2], realizedCost: [5] };
 */
export interface PeriodOffers {
  /** Assignment time (days). A day's offers are assigned within [day, day + 1). */
  assignedAt: ArrayLike<number>;
  /** Segment of each offer, an index into the world's `segments`; default 0 for every offer. */
  segment?: ArrayLike<number> | undefined;
  /** The cost model's predicted cost of each offer (what the pacer calibrates), >= 0. */
  predictedCost: ArrayLike<number>;
  /** Redemption time (days; assignment time + lag), NaN when never redeemed. */
  redeemedAt: ArrayLike<number>;
  /** Cost realized at redemption (0 when never redeemed). */
  realizedCost: ArrayLike<number>;
  /** Weight of each offer in the pacer's timing fit (see `OfferLedger.timingWeight`); default 1. */
  timingWeight?: ArrayLike<number> | undefined;
  /** Ground truth, when the world knows it: each offer's true expected cost. */
  expectedCost?: ArrayLike<number> | undefined;
  /** Ground truth, when the world knows it: each offer's true incremental value. */
  value?: ArrayLike<number> | undefined;
}

/** One day as the world sees it: the budget to allocate and, with strategy "pacer", the plan behind it. */
export interface PeriodDay {
  /** 0-based day of the period. */
  day: number;
  /** Today's budget (>= 0): currency with `pacerBudget: "calibrated"`, the cost model's units otherwise. */
  budget: number;
  /** The pacer's plan (strategy "pacer"): its `bias.factor(segment)` calibrates predicted costs. */
  plan: PacingPlan | undefined;
}

/** What the world reports for one day: the offers it assigned within the budget and what it planned to spend. */
export interface PeriodDayOffers extends PeriodOffers {
  /** Predicted spend of the day's allocation, in the units the allocator budgeted in. */
  planned: number;
}

/**
 * What a period simulation needs from a world: one callback that allocates a day's arrivals within a
 * budget (sampling, scoring and the optimizer are the world's business) and reports the assigned
 * offers with their redemption time and amount. @cia/pacer knows no simulator: wire one (e.g.
 * @cia/simulator's `World`) to this interface.
 *
 * @example
 * const world: PeriodWorld = { runDay: ({ day, budget }) => allocateAndRedeem(day, budget) };
 */
export interface PeriodWorld {
  /** Segment keys the offers' `segment` indices point into (see `segmentKey`); default ["all"]. */
  segments?: readonly string[] | undefined;
  /** Allocate day `day`'s cohort within `budget`; the offers' assignment times lie in [day, day + 1). */
  runDay(day: PeriodDay): PeriodDayOffers;
}

/** Options of {@link simulatePeriod}. */
export interface SimulatePeriodOptions {
  /** B_period, in currency (finite, > 0). */
  periodBudget: number;
  /** Period length T in days (integer >= 1). */
  periodDays: number;
  /** Redemption horizon H: the period's spend is the realized cost of its offers redeemed within H days of assignment. */
  horizonDays: number;
  strategy: PeriodPacingStrategy;
  /**
   * Strategy "pacer": the budget handed to the world. `"calibrated"` (default): `plan.budget` in
   * currency, for an allocator that calibrates each offer's predicted cost with
   * `plan.bias.factor(segment)`; `"model"`: `plan.modelBudget` (budget / pooled bias), for an
   * allocator that ranks by raw predicted cost.
   */
  pacerBudget?: "calibrated" | "model" | undefined;
  /** Relative traffic of each day (length T), for the pacer, the naive budgets and the targets; default flat. */
  schedule?: readonly number[] | undefined;
  /** Further `Pacer` options (dailyCap, biasSince, timingBy, ...), applied last. */
  pacer?: Partial<PacerOptions> | undefined;
  /** Offers assigned before the period (assignedAt < 0), whose matured redemptions calibrate the pacer from day 0. */
  history?: PeriodOffers | undefined;
}

/** One simulated day. */
export interface SimulatedDay {
  day: number;
  /** The budget handed to the world (>= 0). */
  budget: number;
  /** The world's predicted spend of the day's allocation. */
  planned: number;
  /** Realized cost of the day's offers within the horizon (known only later). */
  realized: number;
  /** True expected cost of the day's offers (NaN when the world gives no truth). */
  expected: number;
  offers: number;
  /** The pacer's pooled bias factor and remaining liability in the day's plan (1 and 0 without a plan). */
  biasFactor: number;
  remainingLiability: number;
  /** Ex post: cost of the period's offers assigned before the day and redeemed after its start (what remainingLiability estimates). */
  realizedAfter: number;
}

/** The outcome of a simulated period, under the assignment-cohort accounting (see the package README). */
export interface SimulatedPeriod {
  strategy: PeriodPacingStrategy;
  periodBudget: number;
  /** Period spend: realized cost of the period's offers redeemed within the horizon. */
  spend: number;
  /** (spend - B) / B. */
  signedError: number;
  /** |spend - B| / B: the target metric. */
  absError: number;
  /** Same with the true expected cost of the period's offers (no redemption noise): pacing error alone; NaN without truth. */
  expectedAbsError: number;
  /** RMS over days of (cumulative realized cost of the cohorts to date - cumulative target) / B. */
  trackingRmse: number;
  /** max over days of (cumulative realized cost of the cohorts to date - cumulative target) / B, or 0. */
  maxOvershoot: number;
  /** RMS over days of (day's realized - day's target) / day's target. */
  dailyRelRmse: number;
  /** RMS over days of (estimated remaining liability - realized later) / B (meaningful with a plan). */
  liabilityRmse: number;
  /** Cost of the period's offers redeemed inside the period (cash view), / B. */
  inPeriodCashShare: number;
  /** Period spend redeemed by the end of each day 1 .. T + H (calendar view; it ends at `spend`). */
  realizedToDate: number[];
  /** max over days of the period of (realizedToDate - cumulative target) / B, >= 0: how far redemptions ever ran past the plan. */
  maxRedeemedOvershoot: number;
  /** True incremental value of the period's offers (NaN when the world gives no truth). */
  trueValue: number;
  days: SimulatedDay[];
}

interface Ledger extends OfferLedger {
  assignedAt: number[];
  segment: number[];
  predictedCost: number[];
  redeemedAt: number[];
  realizedCost: number[];
  timingWeight?: number[] | undefined;
}

/**
 * Simulate one budget period day by day: each day the strategy sets today's budget (the `Pacer`
 * plans on the ledger of every offer so far, history included), the world allocates its arrivals
 * within it and reports the offers with their redemptions, which join the ledger (the pacer only
 * looks at redemptions before its planning time). Deterministic when the world is.
 *
 * Accounting ("assignment cohort"): the period's spend is the realized cost of offers assigned in
 * the period and redeemed within `horizonDays` of assignment, so it is final H days after the period.
 *
 * @example
 * const r = simulatePeriod(world, { periodBudget: 20_000, periodDays: 14, horizonDays: 14, strategy: "pacer" });
 * r.absError; // |spend - B| / B
 */
export function simulatePeriod(world: PeriodWorld, options: SimulatePeriodOptions): SimulatedPeriod {
  const { periodBudget: B, periodDays: T, horizonDays: h, strategy } = options;
  const schedule = options.schedule ?? new Array<number>(T).fill(1);
  if (schedule.length !== T)
    throw new CiaError<PacerErrorCode>(
      "invalid_option",
      `schedule has ${schedule.length} days, the period ${T}`,
      {
        schedule: schedule.length,
        periodDays: T,
      },
    );
  const pacer = new Pacer({
    periodBudget: B,
    periodDays: T,
    horizonDays: h,
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...options.pacer,
  });
  if (!(B > 0))
    throw new CiaError<PacerErrorCode>("invalid_option", `periodBudget must be > 0, got ${B}`, {
      periodBudget: B,
    });
  let wsum = 0;
  for (const w of schedule) wsum += w;
  const ledger: Ledger = {
    assignedAt: [],
    segment: [],
    segments: world.segments ?? ["all"],
    predictedCost: [],
    redeemedAt: [],
    realizedCost: [],
  };
  let weighted: boolean | undefined;
  const append = (o: PeriodOffers): void => {
    const n = o.assignedAt.length;
    const w = o.timingWeight !== undefined;
    if (weighted === undefined) {
      weighted = w;
      if (w) ledger.timingWeight = [];
    } else if (w !== weighted) {
      throw new CiaError<PacerErrorCode>(
        "invalid_input",
        "give timingWeight for every batch of offers or for none",
        {},
      );
    }
    for (let j = 0; j < n; j++) {
      ledger.assignedAt.push(o.assignedAt[j]!);
      ledger.segment.push(o.segment ? o.segment[j]! : 0);
      ledger.predictedCost.push(o.predictedCost[j]!);
      ledger.redeemedAt.push(o.redeemedAt[j]!);
      ledger.realizedCost.push(o.realizedCost[j]!);
      if (w) ledger.timingWeight!.push(o.timingWeight![j]!);
    }
  };
  if (options.history) append(options.history);

  const days: SimulatedDay[] = [];
  let trueValue = 0;
  for (let d = 0; d < T; d++) {
    let budget: number;
    let plan: PacingPlan | undefined;
    if (strategy === "naive") {
      budget = (B * schedule[d]!) / wsum;
    } else if (strategy === "naive-cash") {
      let cash = 0;
      for (let j = 0; j < ledger.assignedAt.length; j++) {
        if (ledger.assignedAt[j]! >= 0 && ledger.redeemedAt[j]! <= d) cash += ledger.realizedCost[j]!;
      }
      budget = todaysBudget({
        periodBudget: B,
        spendToDate: Math.min(B, cash),
        remainingLiability: 0,
        day: d,
        periodDays: T,
        schedule,
      }).budget;
    } else {
      plan = pacer.plan(ledger, d);
      budget = options.pacerBudget === "model" ? plan.modelBudget : plan.budget;
    }
    budget = Math.max(0, budget);
    const out = world.runDay({ day: d, budget, plan });
    append(out);
    let realized = 0;
    let expected = 0;
    const n = out.assignedAt.length;
    for (let j = 0; j < n; j++) {
      if (withinHorizon(out.assignedAt[j]!, out.redeemedAt[j]!, h)) realized += out.realizedCost[j]!;
      expected += out.expectedCost ? out.expectedCost[j]! : Number.NaN;
      trueValue += out.value ? out.value[j]! : Number.NaN;
    }
    days.push({
      day: d,
      budget,
      planned: out.planned,
      realized,
      expected,
      offers: n,
      biasFactor: plan?.bias.pooled.factor ?? 1,
      remainingLiability: plan?.remainingLiability ?? 0,
      realizedAfter: 0,
    });
  }
  return periodMetrics(ledger, days, options, schedule, wsum, trueValue);
}

/** A redemption that counts against its offer's period: it happened, within `h` days of assignment. */
function withinHorizon(at: number, red: number, h: number): boolean {
  return !Number.isNaN(red) && red - at <= h;
}

/** Realized cost by time `t` of the period's offers, counting each redemption within `h` days of assignment. */
function realizedBy(ledger: Ledger, t: number, h: number): number {
  let s = 0;
  for (let i = 0; i < ledger.assignedAt.length; i++) {
    // Offers assigned before the period belong to an earlier period's spend.
    if (ledger.assignedAt[i]! < 0) continue;
    const r = ledger.redeemedAt[i]!;
    if (!withinHorizon(ledger.assignedAt[i]!, r, h) || r > t) continue;
    s += ledger.realizedCost[i]!;
  }
  return s;
}

function periodMetrics(
  ledger: Ledger,
  days: SimulatedDay[],
  options: SimulatePeriodOptions,
  schedule: readonly number[],
  wsum: number,
  trueValue: number,
): SimulatedPeriod {
  const { periodBudget: B, periodDays: T, horizonDays: h } = options;
  for (let j = 0; j < ledger.assignedAt.length; j++) {
    const at = ledger.assignedAt[j]!;
    const red = ledger.redeemedAt[j]!;
    if (at < 0 || !withinHorizon(at, red, h)) continue;
    for (const r of days) if (at < r.day && red > r.day) r.realizedAfter += ledger.realizedCost[j]!;
  }
  let liabilitySe = 0;
  for (const r of days) liabilitySe += ((r.remainingLiability - r.realizedAfter) / B) ** 2;

  let expectedSpend = 0;
  let cum = 0;
  let target = 0;
  let se = 0;
  let maxOver = 0;
  let dailySe = 0;
  for (const r of days) {
    expectedSpend += r.expected;
    cum += r.realized;
    const dayTarget = (B * schedule[r.day]!) / wsum;
    target += dayTarget;
    se += ((cum - target) / B) ** 2;
    maxOver = Math.max(maxOver, (cum - target) / B);
    dailySe += ((r.realized - dayTarget) / dayTarget) ** 2;
  }
  let cash = 0;
  for (let j = 0; j < ledger.assignedAt.length; j++) {
    if (ledger.assignedAt[j]! >= 0 && ledger.redeemedAt[j]! < T) cash += ledger.realizedCost[j]!;
  }
  // Spend is final H days after the period: follow it to then, so the path ends at the period spend.
  const realizedToDate: number[] = [];
  for (let d = 1; d <= T + h; d++) realizedToDate.push(realizedBy(ledger, d, h));
  const spend = realizedBy(ledger, Number.POSITIVE_INFINITY, h);
  let maxRedeemedOvershoot = 0;
  let scheduled = 0;
  for (let d = 0; d < T; d++) {
    scheduled += schedule[d]!;
    maxRedeemedOvershoot = Math.max(maxRedeemedOvershoot, (realizedToDate[d]! - (B * scheduled) / wsum) / B);
  }
  return {
    strategy: options.strategy,
    periodBudget: B,
    spend,
    signedError: (spend - B) / B,
    absError: Math.abs(spend - B) / B,
    expectedAbsError: Math.abs(expectedSpend - B) / B,
    trackingRmse: Math.sqrt(se / days.length),
    maxOvershoot: maxOver,
    dailyRelRmse: Math.sqrt(dailySe / days.length),
    liabilityRmse: Math.sqrt(liabilitySe / days.length),
    inPeriodCashShare: cash / B,
    realizedToDate,
    maxRedeemedOvershoot,
    trueValue,
    days,
  };
}
