/**
 * @cia/simulator wired to `simulatePeriod`, for tests and the benchmark (not part of the package's
 * API: @cia/pacer depends on @cia/core only; the simulator is a dev dependency).
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
import { LambdaController, segmentKey, simulatePeriod } from "../src/index.js";
import type { PacerOptions, PacingPlan, PeriodDayOffers, SimulatedPeriod } from "../src/index.js";

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

/** `simulatePeriod`'s result, with the strategy named as configured ("lambda" budgets with the pacer). */
export type PeriodSimulationResult = Omit<SimulatedPeriod, "strategy"> & { strategy: PacingStrategy };

/** Run one period on a simulator world. Deterministic in `seed`. */
export function simulateOnSimulator(config: PeriodSimulationConfig): PeriodSimulationResult {
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

  /** The chosen offers of day d, logged by the simulator, as the pacer's ledger entries. */
  const offersOf = (
    d: number,
    pop: Population,
    truth: Truth,
    chosen: Int32Array,
    modelFactor: number,
  ): Omit<PeriodDayOffers, "planned"> => {
    const policy = new Float64Array(pop.n * k);
    for (let i = 0; i < pop.n; i++) policy[i * k + chosen[i]!] = 1;
    const log = world.log(pop, policy, { seed: `${config.seed}/log/${d}` });
    const o = {
      assignedAt: [] as number[],
      segment: [] as number[],
      predictedCost: [] as number[],
      redeemedAt: [] as number[],
      realizedCost: [] as number[],
      timingWeight: [] as number[],
      expectedCost: [] as number[],
    };
    for (let i = 0; i < pop.n; i++) {
      const a = chosen[i]!;
      if (a === 0) continue;
      const at = d + (log.decisionTime[i]! - startMs) / DAY_MS;
      const lag = log.redemptionLagDays[i]!;
      o.assignedAt.push(at);
      o.segment.push(segOf(a, pop.lifecycle[i]!));
      o.predictedCost.push(modelFactor * truth.meanCost[i * k + a]!);
      o.redeemedAt.push(Number.isNaN(lag) ? Number.NaN : at + lag);
      o.realizedCost.push(Number.isNaN(lag) ? 0 : log.cost[i]!);
      o.timingWeight.push(world.actions[a]!.credit);
      o.expectedCost.push(truth.meanCost[i * k + a]!);
    }
    return o;
  };

  // History: an earlier model allocates B/T a day on true-cost terms (a well-paced past).
  const history: Omit<PeriodDayOffers, "planned"> = {
    assignedAt: [],
    segment: [],
    predictedCost: [],
    redeemedAt: [],
    realizedCost: [],
    timingWeight: [],
    expectedCost: [],
  };
  for (let d = -historyDays; d < 0; d++) {
    const { pop, truth } = dayUnits(d);
    const cost = (i: number, a: number) => truth.meanCost[i * k + a]!;
    const o = offersOf(d, pop, truth, greedyFill(truth, cost, B / T), historyFactor);
    for (const key of Object.keys(history) as (keyof typeof history)[]) {
      const into = history[key] as number[];
      for (const v of o[key] as number[]) into.push(v);
    }
  }

  const lam = config.lambda ?? {};
  const batches = lam.batchesPerDay ?? 8;
  const controller = new LambdaController({
    eta: lam.eta ?? 0.3,
    initialLambda: lam.initialLambda ?? 1,
    scale: B / T / batches,
  });
  /** The lambda strategy: per batch, each unit's best offer by value - lambda x calibrated cost. */
  const lambdaFill = (truth: Truth, calCost: (i: number, a: number) => number, budget: number) => {
    const n = truth.n;
    const chosen = new Int32Array(n);
    let planned = 0;
    for (let b = 0; b < batches; b++) {
      const lo = Math.floor((b * n) / batches);
      const hi = Math.floor(((b + 1) * n) / batches);
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
    return { chosen, planned };
  };

  const runDay = ({
    day: d,
    budget,
    plan,
  }: {
    day: number;
    budget: number;
    plan: PacingPlan | undefined;
  }) => {
    const { pop, truth } = dayUnits(d);
    const modelCost = (i: number, a: number) => factor * truth.meanCost[i * k + a]!;
    // The naive strategies budget in the cost model's units; the pacer's budget is currency, so the
    // allocation calibrates each offer's cost with the plan's bias factor of its segment.
    const cost = plan
      ? (i: number, a: number) => modelCost(i, a) * plan.bias.factor(segments[segOf(a, pop.lifecycle[i]!)]!)
      : modelCost;
    let chosen: Int32Array;
    let planned: number;
    if (config.strategy === "lambda") ({ chosen, planned } = lambdaFill(truth, cost, budget));
    else {
      chosen = greedyFill(truth, cost, budget);
      planned = costOf(truth, chosen, cost);
    }
    return { ...offersOf(d, pop, truth, chosen, factor), planned };
  };

  const result = simulatePeriod(
    { segments, runDay },
    {
      periodBudget: B,
      periodDays: T,
      horizonDays: h,
      strategy: config.strategy === "lambda" ? "pacer" : config.strategy,
      schedule,
      history,
      pacer: {
        biasSince: historyFactor !== factor ? 0 : undefined,
        dailyCap: config.dailyCapFactor === undefined ? undefined : (config.dailyCapFactor * B) / T,
        ...config.pacer,
      },
    },
  );
  return { ...result, strategy: config.strategy };
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
