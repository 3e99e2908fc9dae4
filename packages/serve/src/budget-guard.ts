import { CiaError } from "@cia/core";
import { LambdaController } from "@cia/pacer";
import type { ServeErrorCode } from "./error-codes.js";

/** Options of {@link BudgetGuard}. */
export interface BudgetGuardOptions {
  /** The batch multiplier the day starts from. */
  lambda: number;
  /** Today's budget (null: no hard stop). */
  dailyBudget: number | null;
  /** The pacer's lambda controller settings (eta 0: lambda stays at the batch value). */
  pacing: { eta: number; scale: number; lambdaMax: number | null };
  /** Clock (ms since the epoch). Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** One realized-spend report (`POST /spend`). */
export interface SpendReport {
  /** Realized spend since the previous report (>= 0). */
  spend: number;
  /**
   * What the plan meant to spend over the same interval (>= 0). Default: today's budget times the
   * share of the day elapsed since the previous report (or since the start of the day).
   */
  target?: number | undefined;
  /** Replace today's budget (the pacer's `B_today`, e.g. from `cia pace`). */
  todayBudget?: number | undefined;
}

/** The guard's state after a report, as `POST /spend` answers it. */
export interface BudgetGuardState {
  day: string;
  lambda: number;
  spent_today: number;
  budget_today: number | null;
  remaining_today: number | null;
  hard_stop: boolean;
  reports: number;
}

const DAY_MS = 86_400_000;

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The live budget guard between batch solves: realized spend reports move lambda through the
 * pacer's {@link LambdaController} (overspending raises the price of cost, so fewer and more
 * efficient offers; underspending lowers it), and once today's realized spend reaches today's
 * budget every decision is no offer (a hard stop) until the UTC day changes. Lambda carries over
 * the day change; the spend count restarts.
 *
 * @example
 * const guard = new BudgetGuard({ lambda: 0.8, dailyBudget: 1000, pacing: { eta: 0.5, scale: 100, lambdaMax: null } });
 * guard.report({ spend: 150, target: 100 }); // lambda 0.8 -> 1.05
 * guard.stopped; // false until 1000 is spent today
 */
export class BudgetGuard {
  private readonly controller: LambdaController;
  private readonly now: () => number;
  private dailyBudget: number | null;
  private readonly baseBudget: number | null;
  private day: string;
  /** [dayStart, dayStart + DAY_MS) is `day` in ms: a clock inside it needs no date formatting. */
  private dayStart: number;
  private spent = 0;
  private lastReportAt: number;
  private reportCount = 0;

  constructor(options: BudgetGuardOptions) {
    const { dailyBudget } = options;
    if (dailyBudget !== null && !(Number.isFinite(dailyBudget) && dailyBudget >= 0))
      throw new CiaError<ServeErrorCode>(
        "invalid_option",
        `dailyBudget must be finite and >= 0, got ${dailyBudget}`,
      );
    this.controller = new LambdaController({
      eta: options.pacing.eta,
      initialLambda: options.lambda,
      scale: options.pacing.scale,
      lambdaMax: options.pacing.lambdaMax ?? Number.POSITIVE_INFINITY,
    });
    this.now = options.now ?? Date.now;
    this.dailyBudget = dailyBudget;
    this.baseBudget = dailyBudget;
    const t = this.now();
    this.day = utcDay(t);
    this.dayStart = Date.parse(`${this.day}T00:00:00Z`);
    this.lastReportAt = this.dayStart;
  }

  /** The multiplier decisions use now. */
  get lambda(): number {
    return this.controller.lambda;
  }

  /** True when today's realized spend has reached today's budget: only no offer. */
  get stopped(): boolean {
    this.rollDay();
    return this.dailyBudget !== null && this.spent >= this.dailyBudget;
  }

  get state(): BudgetGuardState {
    const stopped = this.stopped;
    return {
      day: this.day,
      lambda: this.controller.lambda,
      spent_today: this.spent,
      budget_today: this.dailyBudget,
      remaining_today: this.dailyBudget === null ? null : Math.max(0, this.dailyBudget - this.spent),
      hard_stop: stopped,
      reports: this.reportCount,
    };
  }

  /** Apply one report: count the spend, take one controller step, return the new state. */
  report(r: SpendReport): BudgetGuardState {
    this.rollDay();
    for (const [name, v] of [
      ["spend", r.spend],
      ["target", r.target],
      ["todayBudget", r.todayBudget],
    ] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v >= 0))
        throw new CiaError<ServeErrorCode>("invalid_input", `${name} must be a finite number >= 0, got ${v}`);
    }
    if (r.todayBudget !== undefined) this.dailyBudget = r.todayBudget;
    const t = this.now();
    let target = r.target;
    if (target === undefined) {
      const share = Math.min(1, Math.max(0, (t - this.lastReportAt) / DAY_MS));
      target = (this.dailyBudget ?? 0) * share;
    }
    this.controller.update({ target, spend: r.spend });
    this.spent += r.spend;
    this.lastReportAt = t;
    this.reportCount++;
    return this.state;
  }

  private rollDay(): void {
    const t = this.now();
    // Read on every decide batch: most calls fall inside the current day and skip formatting it.
    if (t >= this.dayStart && t < this.dayStart + DAY_MS) return;
    const d = utcDay(t);
    this.dayStart = Date.parse(`${d}T00:00:00Z`);
    if (d !== this.day) {
      this.day = d;
      this.spent = 0;
      this.dailyBudget = this.baseBudget;
      this.lastReportAt = this.dayStart;
    }
  }
}
