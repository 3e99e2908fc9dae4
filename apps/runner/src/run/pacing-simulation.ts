import { Pacer } from "@cia/pacer";
import type { Population, World } from "@cia/simulator";
import { optimizerPolicy, policyMatrix } from "./policies.js";

/** Predicted effects of a cohort, n x K (the CIA model's value and cost heads). */
export type CohortScorer = (pop: Population) => { tauValue: Float64Array; tauCost: Float64Array };

export interface PacingSimulationOptions {
  days: number;
  unitsPerDay: number;
  /** Period budget on realized incentive cost. */
  budget: number;
  /** Redemptions count against the period up to this many days after assignment. */
  horizonDays: number;
  seed: string;
  /** Multiply the model's predicted cost by this (1 = as trained; 0.8 = a model 20% low). */
  costModelScale?: number;
  /**
   * Offers from before the period (e.g. the experiment), on the same day clock (negative days):
   * the pacer calibrates redemption timing and cost bias on them from day 0 instead of waiting for
   * the period's own offers to mature.
   */
  history?: { assignedAt: number[]; predictedCost: number[]; redeemedAt: number[]; realizedCost: number[] };
}

export interface PacingPath {
  name: string;
  /** Per day of the period: budget given to the optimizer, predicted spend allocated. */
  dailyBudget: number[];
  allocatedCost: number[];
  /** Realized spend by the end of each day 1 .. T + H (the period's offers, within the horizon). */
  realizedToDate: number[];
  /** Period spend: realized cost of the period's offers within the horizon. */
  periodSpend: number;
  /** |periodSpend - budget| / budget. */
  relativeError: number;
  /** max over days of (realized to date - budget) / budget, >= 0: how far spend ever ran past B. */
  maxOvershoot: number;
  trueValue: number;
}

/**
 * A period simulated day by day: each day a cohort arrives, the optimizer allocates offers with
 * today's budget, redemptions land later (the simulator's lag distribution). Two pacers run on the
 * same cohorts: CIA's (`B_today = B_period - (spend to date + expected remaining liability)`,
 * spread over the remaining days, with timing and bias calibrated from the ledger) and the naive
 * one (B / T of predicted cost a day, ignoring liability and bias).
 *
 * @example
 * const paths = simulatePacing(world, scorer, { days: 14, unitsPerDay: 1500, budget: 20000, horizonDays: 14, seed: "1" });
 */
export function simulatePacing(
  world: World,
  score: CohortScorer,
  opts: PacingSimulationOptions,
): PacingPath[] {
  const k = world.actions.length;
  const scale = opts.costModelScale ?? 1;
  const cohorts = Array.from({ length: opts.days }, (_, d) => {
    const pop = world.sampleUnits(opts.unitsPerDay, { seed: `${opts.seed}/pacing/day/${d}`, period: 0 });
    const pred = score(pop);
    const tauCost = Float64Array.from(pred.tauCost, (c) => c * scale);
    return { pop, tauValue: pred.tauValue, tauCost, truth: world.truth(pop) };
  });
  const run = (name: string, budgetFor: (day: number, ledger: Ledger) => number): PacingPath => {
    const h = opts.history;
    const ledger: Ledger = {
      assignedAt: [...(h?.assignedAt ?? [])],
      segment: new Array<number>(h?.assignedAt.length ?? 0).fill(0),
      segments: ["all"],
      predictedCost: [...(h?.predictedCost ?? [])],
      redeemedAt: [...(h?.redeemedAt ?? [])],
      realizedCost: [...(h?.realizedCost ?? [])],
    };
    const dailyBudget: number[] = [];
    const allocatedCost: number[] = [];
    const realizedToDate: number[] = [];
    let trueValue = 0;
    for (let d = 0; d < opts.days; d++) {
      const c = cohorts[d]!;
      const b = Math.max(0, budgetFor(d, ledger));
      dailyBudget.push(b);
      const alloc = optimizerPolicy(c.tauValue, c.tauCost, k, b);
      allocatedCost.push(alloc.totals.spend);
      const log = world.log(c.pop, policyMatrix(alloc.action, k), { seed: `${opts.seed}/pacing/log/${d}` });
      for (let i = 0; i < c.pop.n; i++) {
        const a = alloc.action[i]!;
        if (a === 0) continue;
        trueValue += c.truth.tauValue[i * k + a]!;
        // Spread decisions over the day so the ledger's clock has sub-day resolution.
        const at = d + (i + 0.5) / c.pop.n;
        const lag = log.redemptionLagDays[i]!;
        ledger.assignedAt.push(at);
        ledger.segment.push(0);
        // A liability cannot be negative: an offer predicted to save cost is expected to redeem 0.
        ledger.predictedCost.push(Math.max(0, c.tauCost[i * k + a]!));
        const redeemed = log.cost[i]! > 0 && Number.isFinite(lag);
        ledger.redeemedAt.push(redeemed ? at + lag : Number.NaN);
        ledger.realizedCost.push(redeemed ? log.cost[i]! : 0);
      }
    }
    // Spend is final H days after the period: follow it to then, so the paths end at the period spend.
    for (let d = 1; d <= opts.days + opts.horizonDays; d++)
      realizedToDate.push(realizedBy(ledger, d, opts.horizonDays));
    const periodSpend = realizedBy(ledger, Number.POSITIVE_INFINITY, opts.horizonDays);
    let maxOvershoot = 0;
    for (let d = 0; d < opts.days; d++)
      maxOvershoot = Math.max(
        maxOvershoot,
        (realizedToDate[d]! - (opts.budget * (d + 1)) / opts.days) / opts.budget,
      );
    return {
      name,
      dailyBudget,
      allocatedCost,
      realizedToDate,
      periodSpend,
      relativeError: Math.abs(periodSpend - opts.budget) / opts.budget,
      maxOvershoot,
      trueValue,
    };
  };
  const pacer = new Pacer({
    periodBudget: opts.budget,
    periodDays: opts.days,
    horizonDays: opts.horizonDays,
  });
  const cia = run("CIA pacer", (d, ledger) => pacer.plan(ledger, d).modelBudget);
  const naive = run("naive B/T", () => opts.budget / opts.days);
  return [cia, naive];
}

interface Ledger {
  assignedAt: number[];
  segment: number[];
  segments: string[];
  predictedCost: number[];
  redeemedAt: number[];
  realizedCost: number[];
}

/** Realized cost by time `t` of offers, counting each redemption within `horizon` days of its assignment. */
function realizedBy(ledger: Ledger, t: number, horizon: number): number {
  let s = 0;
  for (let i = 0; i < ledger.assignedAt.length; i++) {
    // Offers assigned before the period belong to an earlier period's spend.
    if (ledger.assignedAt[i]! < 0) continue;
    const r = ledger.redeemedAt[i]!;
    if (Number.isNaN(r) || r > t || r - ledger.assignedAt[i]! > horizon) continue;
    s += ledger.realizedCost[i]!;
  }
  return s;
}
