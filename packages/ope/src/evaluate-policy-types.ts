/**
 * The public types of {@link evaluatePolicy}: what goes in (the logged data, the reward models,
 * the options) and what comes out (estimates with intervals, comparisons, diagnostics).
 */
import type { Rng, Seed } from "@cia/core";
import type { BootstrapScheme } from "./bootstrap-sums.js";
import type { SupportViolation } from "./check-support.js";
import type { Estimate, EstimatorName } from "./types.js";
import type { WeightDiagnostics } from "./weight-diagnostics.js";

/** A logged experiment, as typed arrays (the runner turns the experiment table into this). */
export interface OpeData {
  /** Number of actions K; action 0 is no offer. */
  readonly k: number;
  /** Assigned action per unit. */
  readonly action: Int32Array;
  /** Logging probability of the assigned action, in (0, 1]. */
  readonly propensity: Float64Array;
  /** Value outcome per unit. */
  readonly value: Float64Array;
  /** Cost outcome per unit (optional; enables the cost head and CPIV). */
  readonly cost?: Float64Array | undefined;
  /**
   * Non-compliance (lesson 5): the realized treatment and ITS propensity (see `realizedTreatment`).
   * When both are given the evaluation runs on them instead of the assigned action.
   */
  readonly realizedAction?: Int32Array | undefined;
  readonly realizedPropensity?: Float64Array | undefined;
  /** The logging policy's full distribution n x K, when known: makes the support check exact. */
  readonly loggingProbabilities?: Float64Array | undefined;
  /** Action names for messages (default "control", "action 1", ...). */
  readonly actionNames?: readonly string[] | undefined;
}

/** Reward-model predictions q_hat(x_i, a), n x K, one per head. Any model can produce them. */
export interface RewardModels {
  readonly value: Float64Array;
  readonly cost?: Float64Array | undefined;
}

/**
 * How the resamples of a bootstrap interval weight the rows: a {@link BootstrapScheme} (one pass
 * over the rows per resample), or "bagged": the two-stage bagged Poisson bootstrap of
 * `baggedBootstrap` (rows hashed to bags and summed once, replicates weight the bag sums), which
 * costs n + R x B instead of R x n and is what makes 1,000 resamples of 10M rows affordable.
 */
export type IntervalScheme = BootstrapScheme | "bagged";

/** How intervals are computed. */
export interface IntervalOptions {
  /** "bootstrap" (default; percentile) or "normal" (Wald, mean +- z se). */
  readonly method?: "bootstrap" | "normal" | undefined;
  readonly level?: number | undefined;
  readonly resamples?: number | undefined;
  /** How resamples weight the rows (default "multinomial"; "bagged" for very large n). */
  readonly scheme?: IntervalScheme | undefined;
  /** "bagged" only: the number of bags B (default 10,000, at most n). */
  readonly bags?: number | undefined;
  /** Seed of the resamples (default 0); every estimator and quantity uses the same resamples. */
  readonly seed?: Seed | undefined;
  /** Alternatively a generator: the resamples are seeded from its stream `rng.split("ope-bootstrap")`. */
  readonly rng?: Rng | undefined;
}

export interface EvaluatePolicyOptions {
  /** The candidate policy pi_e(a | x_i), n x K (use `policyFromActions` for an assignment). */
  readonly target: Float64Array;
  /** The policy to beat: an n x K matrix (e.g. the heuristic rule) or "control" (no offer for anyone). */
  readonly baseline?: Float64Array | "control" | undefined;
  /** Reward-model predictions; required by DM, DR, SNDR and Switch-DR. */
  readonly qHat?: RewardModels | undefined;
  /** Default: all six when `qHat` is given, else IPS and SNIPS. */
  readonly estimators?: readonly EstimatorName[] | undefined;
  /** Weight clipping for IPS, SNIPS, DR and SNDR (default none). */
  readonly clip?: number | undefined;
  /** Switch-DR threshold (default Infinity, i.e. DR). */
  readonly tau?: number | undefined;
  readonly interval?: IntervalOptions | undefined;
  /**
   * Number of units the totals refer to (default n, the logged units): every `total*` field is the
   * per-unit estimate times this count.
   */
  readonly populationSize?: number | undefined;
  /** "error" (default): throw on support violations of the target or baseline; "report": only list them. */
  readonly support?: "error" | "report" | undefined;
}

/** A ratio (CPIV); `defined` is false when the denominator's interval contains 0. */
export interface RatioEstimate extends Estimate {
  readonly defined: boolean;
}

/** Per-unit estimates of both heads and their totals over `populationSize` units. */
export interface HeadEstimates {
  /** Value per unit (a mean per logged unit, or a difference of such means). */
  readonly value: Estimate;
  /** Cost per unit, when the data have a cost head. */
  readonly cost?: Estimate | undefined;
  /** `value` times `populationSize`. */
  readonly totalValue: Estimate;
  /** `cost` times `populationSize`. */
  readonly totalCost?: Estimate | undefined;
}

/**
 * A policy against a reference policy (no offer, or the baseline), paired round by round:
 * `value` and `cost` are differences per unit, policy minus reference.
 */
export interface Comparison extends HeadEstimates {
  /** Incremental value per incremental cost (the methodology's CPIV). */
  readonly cpiv?: RatioEstimate | undefined;
  /** Incremental cost per incremental value (lower is better). */
  readonly costPerIncrementalValue?: RatioEstimate | undefined;
}

/**
 * One estimator's view of the target policy: `value` is the mean per logged unit (the `ope.json`
 * `estimates.<name>.value`).
 */
export interface PolicyEstimates extends HeadEstimates {
  /** Against no offer for everyone (absent when action 0 lacks support). */
  readonly incremental?: Comparison | undefined;
  /** Against the baseline policy, with its own value and cost. */
  readonly versusBaseline?:
    | (Comparison & { readonly baselineValue: Estimate; readonly baselineCost?: Estimate | undefined })
    | undefined;
}

/** How the intervals of a {@link PolicyEvaluation} were computed (the resolved defaults). */
export interface IntervalSettings {
  readonly method: "bootstrap" | "normal";
  /** Confidence level of every interval. */
  readonly level: number;
  /** Bootstrap only: the number of resamples. */
  readonly resamples?: number | undefined;
  /** Bootstrap only: how the resamples weight the rows. */
  readonly scheme?: IntervalScheme | undefined;
  /** "bagged" only: the number of bags. */
  readonly bags?: number | undefined;
  /** Bootstrap only: the seed of the resamples (re-run with it to get the same intervals). */
  readonly seed?: string | undefined;
}

export interface PolicyEvaluation {
  readonly n: number;
  readonly k: number;
  readonly populationSize: number;
  /** "realized" when the realized treatment was used (non-compliance), else "assigned". */
  readonly treatment: "assigned" | "realized";
  readonly interval: IntervalSettings;
  readonly estimates: Partial<Record<EstimatorName, PolicyEstimates>>;
  readonly diagnostics: {
    readonly target: WeightDiagnostics;
    readonly baseline?: WeightDiagnostics | undefined;
    readonly control?: WeightDiagnostics | undefined;
    readonly supportViolations: {
      readonly target: SupportViolation[];
      readonly baseline?: SupportViolation[] | undefined;
      readonly control?: SupportViolation[] | undefined;
    };
  };
  readonly notes: string[];
}
