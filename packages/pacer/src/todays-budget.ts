import { CiaError } from "@cia/core";
import type { PacerErrorCode } from "./error-codes.js";
import { safely } from "./safely.js";

/** Inputs of {@link todaysBudget}; all money in the same currency units. */
export interface TodaysBudgetInput {
  /** B_period: the budget of the whole period (finite, >= 0). */
  periodBudget: number;
  /** Actual spend to date: cost already realized that counts against this period (finite, >= 0). */
  spendToDate: number;
  /** Expected remaining liability of the period's open cohorts (finite, >= 0). */
  remainingLiability: number;
  /** Today's 0-based index within the period (integer in [0, periodDays)). */
  day: number;
  /** Length T of the period in days (integer >= 1). */
  periodDays: number;
  /**
   * Relative traffic (or spend) weight of each day of the period, length `periodDays`, finite and
   * >= 0; only the ratios matter. Default: flat.
   */
  schedule?: ArrayLike<number> | undefined;
  /** Upper bound on any one day's budget (>= 0; Infinity or undefined for none). */
  dailyCap?: number | undefined;
}

/** Today's budget and how it was reached. */
export interface TodaysBudget {
  /** Today's budget: finite and >= 0 always. */
  budget: number;
  /** B_period - (spend to date + remaining liability): what is left for today and the days after (may be < 0). */
  available: number;
  /** Spend to date + remaining liability. */
  committed: number;
  /** Today's share of the remaining schedule, w_t / sum_{s >= t} w_s, in [0, 1]. */
  share: number;
  /** True when spend plus liability already exceed the budget (today's budget is then 0). */
  overcommitted: boolean;
  /** True when the daily cap bound. */
  capped: boolean;
}

function bad(field: string, value: unknown, rule: string): never {
  throw new CiaError<PacerErrorCode>("invalid_input", `${field} must be ${rule}, got ${String(value)}`, {
    field,
    value,
  });
}

/**
 * Today's budget from the period budget under delayed redemption:
 * B_today = [B_period - (actual spend to date + expected remaining liability)]^+ x w_t / sum_{s>=t} w_s,
 * then capped at `dailyCap`. What one day does not use (cap, under-delivery) flows to the next days
 * on its own, because tomorrow's call sees the lower commitment.
 *
 * Guarantees: the result is finite and >= 0 for every accepted input; NaN, negative or infinite
 * money amounts, a day outside the period, or a bad schedule throw a `CiaError` with code
 * `invalid_input` (see `safeTodaysBudget` for a non-throwing variant). The schedule is rescaled by
 * its largest remaining weight so huge weights cannot overflow; a remaining schedule of all zeros
 * (no traffic expected any more) gives 0.
 *
 * @example
 * todaysBudget({ periodBudget: 28_000, spendToDate: 5_000, remainingLiability: 3_000, day: 7, periodDays: 28 }).budget;
 * // (28000 - 8000) / 21 = 952.38...
 */
export function todaysBudget(input: TodaysBudgetInput): TodaysBudget {
  const {
    periodBudget: b,
    spendToDate: s,
    remainingLiability: l,
    day,
    periodDays: t,
    schedule,
    dailyCap,
  } = input;
  if (!(Number.isFinite(b) && b >= 0)) bad("periodBudget", b, "a finite number >= 0");
  if (!(Number.isFinite(s) && s >= 0)) bad("spendToDate", s, "a finite number >= 0");
  if (!(Number.isFinite(l) && l >= 0)) bad("remainingLiability", l, "a finite number >= 0");
  if (!(Number.isInteger(t) && t >= 1)) bad("periodDays", t, "an integer >= 1");
  if (!(Number.isInteger(day) && day >= 0 && day < t)) bad("day", day, `an integer in [0, ${t})`);
  if (dailyCap !== undefined && !(dailyCap >= 0)) bad("dailyCap", dailyCap, "a number >= 0 (or Infinity)");

  let share: number;
  if (schedule === undefined) {
    share = 1 / (t - day);
  } else {
    if (schedule.length !== t) bad("schedule", `length ${schedule.length}`, `of length periodDays = ${t}`);
    let wmax = 0;
    for (let i = 0; i < t; i++) {
      const w = schedule[i]!;
      if (!(Number.isFinite(w) && w >= 0)) bad(`schedule[${i}]`, w, "a finite number >= 0");
      if (i >= day && w > wmax) wmax = w;
    }
    if (wmax === 0) share = 0;
    else {
      let rest = 0;
      for (let i = day; i < t; i++) rest += schedule[i]! / wmax;
      share = Math.min(1, schedule[day]! / wmax / rest);
    }
  }
  // b, s, l >= 0 and finite, so only a negative overflow is possible; clamp it to stay finite.
  let available = b - s - l;
  if (!Number.isFinite(available)) available = -Number.MAX_VALUE;
  const committed = Math.min(Number.MAX_VALUE, s + l);
  const free = Math.max(0, available) * share;
  const cap = dailyCap ?? Number.POSITIVE_INFINITY;
  const budget = Math.min(free, cap);
  return { budget, available, committed, share, overcommitted: available < 0, capped: cap < free };
}

/**
 * Like {@link todaysBudget} but returns `{ success, result }` or `{ success: false, error }`.
 *
 * @example
 * const r = safeTodaysBudget({ periodBudget: Number.NaN, spendToDate: 0, remainingLiability: 0, day: 0, periodDays: 7 });
 * r.success; // false (r.error.code === "invalid_input")
 */
export function safeTodaysBudget(
  input: TodaysBudgetInput,
): { success: true; result: TodaysBudget } | { success: false; error: CiaError } {
  return safely("result", () => todaysBudget(input));
}
