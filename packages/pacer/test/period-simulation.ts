/**
 * Day-by-day simulation of one budget period on @cia/simulator, for tests and the benchmark (not
 * part of the package's API: @cia/pacer depends on @cia/core only; the simulator is a dev
 * dependency).
 *
 * Each day a fresh cohort of units arrives (spread over the day). An allocation gives each unit at
 * most one offer, greedily by efficiency (true value effect / cost), until the day's budget is
 * spent; the cost model used for ranking and budgeting predicts `costModelFactor` x the true
 * expected cost (0.8 = 20% too low). Redemptions arrive with the simulator's lags (up to its
 * 28-day horizon). Before the period, `historyDays` of assignments by an earlier, possibly
 * differently biased, model give the pacer its history.
 *
 * Accounting: the period's spend is the realized cost of offers ASSIGNED in the period, whenever
 * redeemed within the horizon H (final H days after the period ends); see the package README.
 */
import { argsort } from "@cia/core";
import { LIFECYCLES, createWorld } from "@cia/simulator";
import type { Population, Truth, World } from "@cia/simulator";
import { LambdaController, Pacer, segmentKey, todaysBudget } from "../src/index.js";
import type { PacerOptions, PacingPlan } from "../src/index.js";

const DAY_MS = 86_400_000;

/** pacer: liability-aware budget; naive: B/T a day in model units; naive-cash: (B - cash spent) / days left, ignoring liability; lambda: integral control of the multiplier on the pacer's target. */
export type PacingStrategy = "pacer" | "naive" | "naive-cash" | "lambda";

export interface PeriodSimulationConfig {
  strategy: PacingStrategy;
  seed: number | string;
  world?: string;
  unitsPerDay: number;
  periodDays?: number;
  /** Days of history before the period (0: cold start). Default 42. */
  historyDays?: number;
  /** B as a share of the all-in cost (every unit given its most efficient offer) of the period. Default 0.4. */
  budgetShare?: number;
  /** Predicted cost = factor x true expected cost, for the period's cost model. Default 0.8. */
  costModelFactor?: number;
  /** Same for the model that allocated the history. Default: costModelFactor (same model). */
  historyCostModelFactor?: number;
  /** Relative traffic per day (length periodDays); units per day scale with it. Default flat. */
  schedule?: number[];
  /** Daily cap as a multiple of the average day's budget B/T (pacer and lambda strategies). */
  dailyCapFactor?: number;
  /** Overrides of the pacer's options. */
  pacer?: Partial<PacerOptions>;
  /** Lambda mode: control steps per day, step size and starting lambda. */
  lambda?: { batchesPerDay?: number; eta?: number; initialLambda?: number };
}

export interface DayRecord {
  day: number;
  /** Today's budget in currency (model units for the naive strategies). */
  budget: number;
  /** Planned liability of today's assignments (calibrated cost; model cost for the naive strategies). */
  planned: number;
  /** Realized cost of today's offers (within the horizon), known only later. */
  realized: number;
  /** True expected cost of today's offers. */
  expected: number;
  offers: number;
  /** Pooled bias factor and remaining liability in the plan (pacer and lambda). */
  biasFactor: number;
  remainingLiability: number;
  /** Ex post: cost of the period's offers assigned before the day that was realized after its start (what remainingLiability estimates). */
  realizedAfter: number;
  lambda: number;
}

export interface PeriodSimulationResult {
  strategy: PacingStrategy;
  periodBudget: number;
  /** Realized period spend under the cohort accounting. */
  spend: number;
  /** (spend - B) / B. */
  signedError: number;
  /** |spend - B| / B: the target metric. */
  absError: number;
  /** Same with the true expected cost of the period's offers (no redemption noise): pacing error alone. */
  expectedAbsError: number;
  /** RMS over days of (cumulative realized - cumulative target) / B. */
  trackingRmse: number;
  /** max over days of (cumulative realized - cumulative target) / B, or 0. */
  maxOvershoot: number;
  /** RMS over days of (day's realized - day's target) / day's target. */
  dailyRelRmse: number;
  /** RMS over days of (estimated remaining liability - realized later) / B (pacer and lambda). */
  liabilityRmse: number;
  /** Cost redeemed inside the period (cash view), / B. */
  inPeriodCashShare: number;
  days: DayRecord[];
}

interface Ledger {
  assignedAt: number[];
  segment: number[];
  segments: string[];
  predictedCost: number[];
  redeemedAt: number[];
  realizedCost: number[];
  timingWeight: number[];
  expectedCost: number[];
}

/** Run one period. Deterministic in `seed`. */
export function simulatePeriod(config: PeriodSimulationConfig): PeriodSimulationResult {
  const world: World = createWorld(config.world ?? "default");
  const T = config.periodDays ?? 28;
  const historyDays = config.historyDays ?? 42;
  const factor = config.costModelFactor ?? 0.8;
  const historyFactor = config.historyCostModelFactor ?? factor;
  const schedule = config.schedule ?? new Array<number>(T).fill(1);
  const maxW = Math.max(...schedule);
  const unitsOn = (d: number) =>
    d < 0 ? config.unitsPerDay : Math.max(1, Math.round((config.unitsPerDay * schedule[d]!) / maxW));
  const k = world.actions.length;
  const h = world.params.horizonDays;
  const startMs = Date.parse(world.params.startTime);
  const segments: string[] = [];
  for (let a = 0; a < k; a++)
    for (const lc of LIFECYCLES)
      segments.push(segmentKey({ program: "sim", action: world.actions[a]!.name, lifecycle: lc }));
  const segOf = (a: number, lc: number) => a * LIFECYCLES.length + lc;

  const dayUnits = (d: number) => {
    const pop = world.sampleUnits(unitsOn(d), { seed: `${config.seed}/units/${d}` });
    return { pop, truth: world.truth(pop) };
  };

  // B: a share of the period's all-in true cost (every unit with its most efficient offer).
  let allIn = 0;
  {
    const { pop, truth } = dayUnits(0);
    const best = bestActions(truth, (i, a) => truth.meanCost[i * k + a]!);
    let c = 0;
    for (let i = 0; i < pop.n; i++) if (best.action[i]! > 0) c += truth.meanCost[i * k + best.action[i]!]!;
    let units = 0;
    for (let d = 0; d < T; d++) units += unitsOn(d);
    allIn = (c / pop.n) * units;
  }
  const B = (config.budgetShare ?? 0.4) * allIn;

  const ledger: Ledger = {
    assignedAt: [],
    segment: [],
    segments,
    predictedCost: [],
    redeemedAt: [],
    realizedCost: [],
    timingWeight: [],
    expectedCost: [],
  };
  const run = (d: number, pop: Population, truth: Truth, chosen: Int32Array, modelFactor: number) => {
    const policy = new Float64Array(pop.n * k);
    for (let i = 0; i < pop.n; i++) policy[i * k + chosen[i]!] = 1;
    const log = world.log(pop, policy, { seed: `${config.seed}/log/${d}` });
    let realized = 0;
    let expected = 0;
    let offers = 0;
    for (let i = 0; i < pop.n; i++) {
      const a = chosen[i]!;
      if (a === 0) continue;
      const at = d + (log.decisionTime[i]! - startMs) / DAY_MS;
      const lag = log.redemptionLagDays[i]!;
      ledger.assignedAt.push(at);
      ledger.segment.push(segOf(a, pop.lifecycle[i]!));
      ledger.predictedCost.push(modelFactor * truth.meanCost[i * k + a]!);
      ledger.redeemedAt.push(Number.isNaN(lag) ? Number.NaN : at + lag);
      ledger.realizedCost.push(Number.isNaN(lag) ? 0 : log.cost[i]!);
      ledger.timingWeight.push(world.actions[a]!.credit);
      ledger.expectedCost.push(truth.meanCost[i * k + a]!);
      if (!Number.isNaN(lag) && lag <= h) realized += log.cost[i]!;
      expected += truth.meanCost[i * k + a]!;
      offers++;
    }
    return { realized, expected, offers };
  };

  // History: an earlier model allocates B/T a day on true-cost terms (a well-paced past).
  for (let d = -historyDays; d < 0; d++) {
    const { pop, truth } = dayUnits(d);
    const cost = (i: number, a: number) => truth.meanCost[i * k + a]!;
    run(d, pop, truth, greedyFill(truth, cost, B / T), historyFactor);
  }

  const pacer = new Pacer({
    periodBudget: B,
    periodDays: T,
    horizonDays: h,
    schedule,
    biasSince: historyFactor !== factor ? 0 : undefined,
    dailyCap: config.dailyCapFactor === undefined ? undefined : (config.dailyCapFactor * B) / T,
    ...config.pacer,
  });
  const lam = config.lambda ?? {};
  const batches = lam.batchesPerDay ?? 8;
  const controller = new LambdaController({
    eta: lam.eta ?? 0.3,
    initialLambda: lam.initialLambda ?? 1,
    scale: B / T / batches,
  });
  const days: DayRecord[] = [];
  let wsum = 0;
  for (const w of schedule) wsum += w;

  for (let d = 0; d < T; d++) {
    const { pop, truth } = dayUnits(d);
    const modelCost = (i: number, a: number) => factor * truth.meanCost[i * k + a]!;
    let budget = 0;
    let plan: PacingPlan | undefined;
    let chosen: Int32Array;
    let planned = 0;
    if (config.strategy === "naive") {
      budget = (B * schedule[d]!) / wsum;
      chosen = greedyFill(truth, modelCost, budget);
      planned = costOf(truth, chosen, modelCost);
    } else if (config.strategy === "naive-cash") {
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
      chosen = greedyFill(truth, modelCost, budget);
      planned = costOf(truth, chosen, modelCost);
    } else {
      plan = pacer.plan(ledger, d);
      budget = plan.budget;
      const bias = plan.bias;
      const calCost = (i: number, a: number) =>
        modelCost(i, a) * bias.factor(segments[segOf(a, pop.lifecycle[i]!)]!);
      if (config.strategy === "pacer") {
        chosen = greedyFill(truth, calCost, budget);
        planned = costOf(truth, chosen, calCost);
      } else {
        chosen = new Int32Array(pop.n);
        for (let b = 0; b < batches; b++) {
          const lo = Math.floor((b * pop.n) / batches);
          const hi = Math.floor(((b + 1) * pop.n) / batches);
          const lambda = controller.lambda;
          let spend = 0;
          for (let i = lo; i < hi; i++) {
            let best = 0;
            let bestScore = 0;
            for (let a = 1; a < k; a++) {
              const s = truth.tauValue[i * k + a]! - lambda * calCost(i, a);
              if (s > bestScore) {
                bestScore = s;
                best = a;
              }
            }
            chosen[i] = best;
            if (best > 0) spend += calCost(i, best);
          }
          planned += spend;
          controller.update({ target: budget / batches, spend });
        }
      }
    }
    const r = run(d, pop, truth, chosen, factor);
    days.push({
      day: d,
      budget,
      planned,
      realized: r.realized,
      expected: r.expected,
      offers: r.offers,
      biasFactor: plan?.bias.pooled.factor ?? 1,
      remainingLiability: plan?.remainingLiability ?? 0,
      realizedAfter: 0,
      lambda: controller.lambda,
    });
  }

  for (let j = 0; j < ledger.assignedAt.length; j++) {
    const at = ledger.assignedAt[j]!;
    const red = ledger.redeemedAt[j]!;
    if (at < 0 || Number.isNaN(red) || red - at > h) continue;
    for (const r of days) if (at < r.day && red > r.day) r.realizedAfter += ledger.realizedCost[j]!;
  }
  let liabilitySe = 0;
  for (const r of days) liabilitySe += ((r.remainingLiability - r.realizedAfter) / B) ** 2;

  // Metrics under the cohort accounting.
  let spend = 0;
  let expectedSpend = 0;
  let cum = 0;
  let target = 0;
  let se = 0;
  let maxOver = 0;
  let dailySe = 0;
  for (const r of days) {
    spend += r.realized;
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
  return {
    strategy: config.strategy,
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
    days,
  };
}

/** Per unit, the offer with the best value per unit of cost among those with a positive value effect. */
function bestActions(
  truth: Truth,
  cost: (i: number, a: number) => number,
): { action: Int32Array; efficiency: Float64Array } {
  const { n, k } = truth;
  const action = new Int32Array(n);
  const efficiency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestEff = 0;
    for (let a = 1; a < k; a++) {
      const v = truth.tauValue[i * k + a]!;
      const c = cost(i, a);
      if (v <= 0 || !(c > 0)) continue;
      if (v / c > bestEff) {
        bestEff = v / c;
        best = a;
      }
    }
    action[i] = best;
    efficiency[i] = bestEff;
  }
  return { action, efficiency };
}

/** Greedy knapsack: units by decreasing efficiency of their best offer, while the budget lasts. */
function greedyFill(truth: Truth, cost: (i: number, a: number) => number, budget: number): Int32Array {
  const { action, efficiency } = bestActions(truth, cost);
  const order = argsort(efficiency, { descending: true });
  const chosen = new Int32Array(truth.n);
  let left = budget;
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    const a = action[i]!;
    if (a === 0) break;
    const c = cost(i, a);
    if (c <= left) {
      chosen[i] = a;
      left -= c;
    }
  }
  return chosen;
}

function costOf(truth: Truth, chosen: Int32Array, cost: (i: number, a: number) => number): number {
  let s = 0;
  for (let i = 0; i < truth.n; i++) if (chosen[i]! > 0) s += cost(i, chosen[i]!);
  return s;
}
