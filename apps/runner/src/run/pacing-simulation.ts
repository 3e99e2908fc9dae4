import { type PeriodPacingStrategy, simulatePeriod } from "@cia/pacer";
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
 * `simulatePeriod` of @cia/pacer on a simulator world: each day a cohort arrives, the CIA model
 * scores it, the optimizer allocates offers with today's budget, redemptions land later (the
 * simulator's lag distribution). Two pacers run on the same cohorts: CIA's (the pacer's budget in
 * the cost model's units) and the naive one (B / T of predicted cost a day).
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
  const runDay = ({ day: d, budget }: { day: number; budget: number }) => {
    const c = cohorts[d]!;
    const alloc = optimizerPolicy(c.tauValue, c.tauCost, k, budget);
    const log = world.log(c.pop, policyMatrix(alloc.action, k), { seed: `${opts.seed}/pacing/log/${d}` });
    const o = {
      assignedAt: [] as number[],
      predictedCost: [] as number[],
      redeemedAt: [] as number[],
      realizedCost: [] as number[],
      value: [] as number[],
    };
    for (let i = 0; i < c.pop.n; i++) {
      const a = alloc.action[i]!;
      if (a === 0) continue;
      // Spread decisions over the day so the ledger's clock has sub-day resolution.
      const at = d + (i + 0.5) / c.pop.n;
      const lag = log.redemptionLagDays[i]!;
      const redeemed = log.cost[i]! > 0 && Number.isFinite(lag);
      o.assignedAt.push(at);
      // A liability cannot be negative: an offer predicted to save cost is expected to redeem 0.
      o.predictedCost.push(Math.max(0, c.tauCost[i * k + a]!));
      o.redeemedAt.push(redeemed ? at + lag : Number.NaN);
      o.realizedCost.push(redeemed ? log.cost[i]! : 0);
      o.value.push(c.truth.tauValue[i * k + a]!);
    }
    return { ...o, planned: alloc.totals.spend };
  };
  const period = { periodBudget: opts.budget, periodDays: opts.days, horizonDays: opts.horizonDays };
  const paths: [string, PeriodPacingStrategy][] = [
    ["CIA pacer", "pacer"],
    ["naive B/T", "naive"],
  ];
  return paths.map(([name, strategy]) => {
    // The optimizer ranks by raw predicted cost, so the pacer hands it the budget in model units.
    const r = simulatePeriod(
      { runDay },
      { ...period, strategy, pacerBudget: "model", history: opts.history },
    );
    return {
      name,
      dailyBudget: r.days.map((day) => day.budget),
      allocatedCost: r.days.map((day) => day.planned),
      realizedToDate: r.realizedToDate,
      periodSpend: r.spend,
      relativeError: r.absError,
      maxOvershoot: r.maxRedeemedOvershoot,
      trueValue: r.trueValue,
    };
  });
}
