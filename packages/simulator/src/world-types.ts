import type { DenseMatrix } from "@cia/core";
import type { ActionSpec } from "./action-spec.js";
import type { WorldParams } from "./world-params.js";

export type { ActionSpec } from "./action-spec.js";

/**
 * The public contract of @cia/simulator, fixed early so that the packages testing against it
 * (experiment, uplift, ope, pacer, runner) can be written in parallel. Extend it; do not break it.
 *
 * Conventions:
 * - Actions are indexed 0..K-1; index 0 is always the no-offer arm, named "control".
 * - Per-(unit, action) arrays are row-major n x K: `arr[i * K + a]`.
 * - Value = the value outcome (e.g. margin over the learning horizon); cost = incentive cost
 *   incurred (redemption x credit). Effects are against action 0, so column 0 of tau is 0.
 */

/** Lifecycle regimes (lesson 11). */
export type Lifecycle = "new" | "active" | "dormant";
export const LIFECYCLES: readonly Lifecycle[] = ["new", "active", "dormant"];

/** A sampled population of units in one period. */
export interface Population {
  readonly n: number;
  /** Stable ids, e.g. "u000001". */
  readonly unitIds: readonly string[];
  /** Column names of `features`, in order. */
  readonly featureNames: readonly string[];
  /** Numeric feature matrix n x p; categorical features are integer codes (see `categorical`). */
  readonly features: DenseMatrix;
  /** For each categorical feature column name, its levels: code k means levels[k]. */
  readonly categorical: Readonly<Record<string, readonly string[]>>;
  /** Lifecycle regime per unit: 0 new, 1 active, 2 dormant (index into LIFECYCLES). */
  readonly lifecycle: Uint8Array;
  /** Days since last activity per unit (what the heuristic baseline rule reads). */
  readonly daysInactive: Float64Array;
  /** The period (0-based) this population was sampled for (drift acts across periods). */
  readonly period: number;
  /**
   * Interference world only: 1 if the unit is enrolled in the concurrent program (lesson 6) for this
   * period, else 0. The truth is conditional on this portfolio state.
   */
  readonly concurrent?: Uint8Array | undefined;
}

/** Exact ground truth for a population: every array is n x K row-major. */
export interface Truth {
  readonly n: number;
  readonly k: number;
  /** E[value | x, a] and E[cost | x, a] over the learning horizon. */
  readonly meanValue: Float64Array;
  readonly meanCost: Float64Array;
  /** tau_value(x, a) = meanValue(x, a) - meanValue(x, 0); column 0 is 0. Likewise tau_cost. */
  readonly tauValue: Float64Array;
  readonly tauCost: Float64Array;
  /** Short-horizon value proxy means (denser signal, lesson 1). */
  readonly meanValueShort: Float64Array;
  readonly tauValueShort: Float64Array;
}

/** A policy as action probabilities, n x K row-major, each row summing to 1. */
export type PolicyMatrix = Float64Array;

/** Exact expected value and cost of a policy on a population. */
export interface PolicyValue {
  /** Mean per unit of E[value] and E[cost] under the policy. */
  value: number;
  cost: number;
  /** Incremental over no-offer for everyone (mean per unit). */
  incrementalValue: number;
  incrementalCost: number;
  /** Totals over the population (mean x n). */
  totalValue: number;
  totalCost: number;
}

/** One logged experiment on a population through an assignment design. */
export interface ExperimentLog {
  readonly n: number;
  readonly k: number;
  readonly actions: readonly ActionSpec[];
  /** Chosen (assigned) action per unit. */
  readonly action: Int32Array;
  /** True propensity of the assigned action under the design. */
  readonly propensity: Float64Array;
  /** The design's full action distribution, n x K. */
  readonly actionProbabilities: Float64Array;
  /** Realized treatment (non-compliance, lesson 5): 1 if the assigned offer was delivered and seen. */
  readonly compliant: Uint8Array;
  /** Realized value over the learning horizon, the short-horizon proxy, and the realized cost. */
  readonly value: Float64Array;
  readonly valueShort: Float64Array;
  readonly cost: Float64Array;
  /** Decision time (ms since epoch) and redemption lag in days (NaN when not redeemed). */
  readonly decisionTime: Float64Array;
  readonly redemptionLagDays: Float64Array;
}

/** How units are assigned: per unit, an action distribution of length K (written into `out`). */
export type AssignmentDesign = (unit: number, population: Population, out: Float64Array) => void;

/** The oracle allocation: the exact LP optimum of the single-budget problem (see `oracleAllocation`). */
export interface OracleResult {
  /** Total true incremental value and cost of the LP optimum (including the fractional unit's share). */
  value: number;
  cost: number;
  /**
   * Action per unit: the upper-hull vertex reached by the fully taken increments. The one fractional
   * unit (if any) is left at its lower vertex here; `fractional` says where it would go and how much.
   */
  assignment: Int32Array;
  /** Total value and cost of `assignment` itself (an integral, budget-feasible allocation). */
  integralValue: number;
  integralCost: number;
  /** The marginal value per unit of cost at the optimum (the budget's shadow price; 0 if slack). */
  lambda: number;
  /** The single unit split between two hull vertices, or null when the optimum is integral. */
  fractional: { unit: number; from: number; to: number; fraction: number } | null;
}

/** Realized-treatment and outcome event streams of a simulated log (times in days after decision). */
export interface SimulatedEvents {
  /** Offer delivered (1) / seen (1) per unit; 0 for control. `compliant` in the log equals `seen`. */
  readonly delivered: Uint8Array;
  readonly seen: Uint8Array;
  /** Days after the decision of delivery and of being seen (NaN when it did not happen). */
  readonly deliveredLagDays: Float64Array;
  readonly seenLagDays: Float64Array;
  /** One entry per outcome event, sorted by unit then time: owner unit, 0 value / 1 cost, amount, day. */
  readonly count: number;
  readonly unit: Int32Array;
  readonly kind: Uint8Array;
  readonly amount: Float64Array;
  readonly lagDays: Float64Array;
}

/** What `World.log` returns: the contract's ExperimentLog plus the event streams and the world facts. */
export interface SimulatedLog extends ExperimentLog {
  readonly events: SimulatedEvents;
  /** Learning horizon and short proxy window (days) the value labels were built with. */
  readonly horizonDays: number;
  readonly shortWindowDays: number;
  /** Period start (ms since epoch) of the population that was logged. */
  readonly periodStart: number;
}

export interface World {
  readonly name: string;
  readonly description: string;
  readonly actions: readonly ActionSpec[];
  /** Sample `n` units for `period` (default 0), deterministically from `seed`. */
  sampleUnits(n: number, options: { seed: number | string; period?: number }): Population;
  /** Exact ground truth for every unit and action. */
  truth(population: Population): Truth;
  /** Exact expected value and cost of a stochastic or deterministic policy. */
  policyValue(population: Population, policy: PolicyMatrix): PolicyValue;
  /**
   * The oracle allocation at a budget on total incremental cost: at most one action per unit,
   * maximizing total true incremental value (exact LP optimum of the single-budget problem,
   * at most one fractional unit).
   */
  oracle(population: Population, budget: number): OracleResult;
  /** Run a design on a population and draw realized outcomes, deterministically from `seed`. */
  log(
    population: Population,
    design: AssignmentDesign | PolicyMatrix,
    options: { seed: number | string },
  ): SimulatedLog;
  /**
   * Exact expected cost per unit realized by each day after the decision under a policy (delayed
   * redemption, lesson 7): `out[j]` = mean over units of E[cost redeemed by day days[j]].
   */
  liabilityCurve(population: Population, policy: PolicyMatrix, days: ArrayLike<number>): Float64Array;
  /** The world's full parameter set (see the README for what each one does). */
  readonly params: Readonly<WorldParams>;
}
