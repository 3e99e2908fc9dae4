import { CiaError, DataValidationError, createRng, normalQuantile, percentileInterval } from "@cia/core";
import type { DataIssue, Interval, Rng, Seed } from "@cia/core";
import { bootstrapSums } from "./bootstrap-sums.js";
import type { BootstrapScheme } from "./bootstrap-sums.js";
import { assertSupport, findSupportViolations } from "./check-support.js";
import type { SupportViolation } from "./check-support.js";
import { estimatePolicyValue } from "./estimate-policy-value.js";
import { importanceWeights } from "./importance-weights.js";
import { numpyMean } from "./numpy-sum.js";
import { constantPolicy } from "./policy-matrix.js";
import { ESTIMATOR_NAMES, MODEL_BASED_ESTIMATORS } from "./types.js";
import type { EstimatorInputs, EstimatorName } from "./types.js";
import { validateEstimatorInputs } from "./validate-inputs.js";
import { weightDiagnostics } from "./weight-diagnostics.js";
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

/** How intervals are computed. */
export interface IntervalOptions {
  /** "bootstrap" (default; percentile) or "normal" (Wald, mean +- z se). */
  readonly method?: "bootstrap" | "normal" | undefined;
  readonly level?: number | undefined;
  readonly resamples?: number | undefined;
  readonly scheme?: BootstrapScheme | undefined;
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
  /** Units the totals refer to (default n, the logged units). */
  readonly populationSize?: number | undefined;
  /** "error" (default): throw on support violations of the target or baseline; "report": only list them. */
  readonly support?: "error" | "report" | undefined;
}

/** A point estimate with its interval and standard error. */
export interface Estimate extends Interval {
  readonly se: number;
}

/** A ratio (CPIV); `defined` is false when the denominator's interval contains 0. */
export interface RatioEstimate extends Estimate {
  readonly defined: boolean;
}

/** A policy against a reference policy (no offer, or the baseline), paired round by round. */
export interface Comparison {
  /** Difference per unit, policy minus reference. */
  readonly value: Estimate;
  readonly cost?: Estimate | undefined;
  readonly totalValue: Estimate;
  readonly totalCost?: Estimate | undefined;
  /** Incremental value per incremental cost (the methodology's CPIV). */
  readonly cpiv?: RatioEstimate | undefined;
  /** Incremental cost per incremental value (lower is better). */
  readonly costPerIncrementalValue?: RatioEstimate | undefined;
}

/** One estimator's view of the target policy. */
export interface PolicyEstimates {
  /** Mean per logged unit (the `ope.json` `estimates.<name>.value`). */
  readonly value: Estimate;
  readonly cost?: Estimate | undefined;
  readonly totalValue: Estimate;
  readonly totalCost?: Estimate | undefined;
  /** Against no offer for everyone (absent when action 0 lacks support). */
  readonly incremental?: Comparison | undefined;
  /** Against the baseline policy, with its own value and cost. */
  readonly versusBaseline?:
    | (Comparison & { readonly baselineValue: Estimate; readonly baselineCost?: Estimate | undefined })
    | undefined;
}

export interface PolicyEvaluation {
  readonly n: number;
  readonly k: number;
  readonly populationSize: number;
  /** "realized" when the realized treatment was used (non-compliance), else "assigned". */
  readonly treatment: "assigned" | "realized";
  readonly interval: {
    readonly method: "bootstrap" | "normal";
    readonly level: number;
    readonly resamples?: number | undefined;
    readonly scheme?: BootstrapScheme | undefined;
    readonly seed?: string | undefined;
  };
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

type PolicyKey = "target" | "control" | "baseline";
interface HeadRounds {
  value: Float64Array;
  cost?: Float64Array | undefined;
}

/**
 * Off-policy evaluation of a candidate policy for value and cost: every requested estimator's
 * mean per unit and total, its incremental value and cost against no offer with CPIV, and its
 * difference against a baseline policy, all with intervals. Differences and ratios are paired:
 * the normal intervals use per-round differences (delta method for ratios), the bootstrap uses
 * the same resamples for every quantity and every estimator. The bootstrap resamples the
 * per-round contributions (as OBP does; SNIPS and SNDR are normalized once on the full sample).
 *
 * Throws `DataValidationError` on malformed inputs and `CiaError("support_violation")` when the
 * target or baseline puts mass where the logging policy never acts (unless `support: "report"`).
 *
 * @example
 * const result = evaluatePolicy(
 *   { k: 3, action, propensity, value, cost },
 *   { target: policyFromActions(assignment, 3), baseline: heuristic, qHat: { value: qv, cost: qc },
 *     interval: { method: "bootstrap", resamples: 1000, seed: 1 } },
 * );
 * result.estimates.dr?.value;             // { estimate, lower, upper, se }
 * result.estimates.dr?.incremental?.cpiv; // value per incremental cost
 */
export function evaluatePolicy(data: OpeData, options: EvaluatePolicyOptions): PolicyEvaluation {
  const { k } = data;
  const realized = data.realizedAction !== undefined && data.realizedPropensity !== undefined;
  const action = realized ? data.realizedAction! : data.action;
  const propensity = realized ? data.realizedPropensity! : data.propensity;
  const n = action.length;
  const estimators =
    options.estimators ??
    (options.qHat ? ["dm", "ips", "snips", "dr", "sndr", "switch-dr"] : ["ips", "snips"]);
  const needsModel = estimators.some((e) => MODEL_BASED_ESTIMATORS.includes(e));
  const needsWeights = estimators.some((e) => e !== "dm");
  const hasCost = data.cost !== undefined;

  // Validate everything up front and report all problems at once.
  const issues: DataIssue[] = [];
  for (const e of estimators)
    if (!ESTIMATOR_NAMES.includes(e))
      issues.push({
        code: "unknown_estimator",
        path: ["estimators"],
        message: `unknown estimator "${e}"; use one of ${ESTIMATOR_NAMES.join(", ")}`,
      });
  if ((data.realizedAction === undefined) !== (data.realizedPropensity === undefined))
    issues.push({
      code: "incomplete_realized_treatment",
      path: [data.realizedAction === undefined ? "realizedAction" : "realizedPropensity"],
      message: "give both realizedAction and realizedPropensity to evaluate on realized treatment",
    });
  if (realized && data.action.length !== n)
    issues.push({
      code: "length_mismatch",
      path: ["realizedAction"],
      message: `realizedAction has ${n} entries, action has ${data.action.length}`,
    });
  const base: EstimatorInputs = {
    k,
    action,
    propensity,
    reward: data.value,
    target: options.target,
    qHat: options.qHat?.value,
  };
  issues.push(...validateEstimatorInputs(base, { requireQHat: needsModel }).map((i) => prefix(i, "value")));
  if (hasCost) {
    const cost = data.cost!;
    if (cost.length !== n)
      issues.push({
        code: "length_mismatch",
        path: ["cost"],
        message: `cost has ${cost.length} entries, action has ${n}`,
      });
    else
      for (let i = 0; i < n; i++)
        if (!Number.isFinite(cost[i]!)) {
          issues.push({
            code: "non_finite",
            path: ["row", i, "cost"],
            message: `cost ${cost[i]} is not a finite number`,
          });
          break;
        }
    if (needsModel && options.qHat?.cost === undefined)
      issues.push({
        code: "missing_q_hat",
        path: ["qHat", "cost"],
        message: "model-based estimators need qHat.cost (n x K) to evaluate the cost head",
      });
    else if (options.qHat?.cost !== undefined && options.qHat.cost.length !== n * k)
      issues.push({
        code: "length_mismatch",
        path: ["qHat", "cost"],
        message: `qHat.cost has ${options.qHat.cost.length} entries, expected ${n * k}`,
      });
  }
  const baselineMatrix =
    options.baseline === undefined
      ? undefined
      : options.baseline === "control"
        ? constantPolicy(n, k, 0)
        : options.baseline;
  if (baselineMatrix !== undefined && options.baseline !== "control")
    issues.push(
      ...validateEstimatorInputs({ ...base, target: baselineMatrix, qHat: undefined }).map((i) =>
        rename(i, "target", "baseline"),
      ),
    );
  if (options.populationSize !== undefined && !(options.populationSize > 0))
    issues.push({
      code: "invalid_population_size",
      path: ["populationSize"],
      message: `populationSize must be > 0, got ${options.populationSize}`,
    });
  if (issues.length > 0) throw new DataValidationError(dedupe(issues));

  const populationSize = options.populationSize ?? n;
  const notes: string[] = [];
  const supportMode = options.support ?? "error";
  const supportInputs = {
    k,
    action,
    loggingProbabilities: data.loggingProbabilities,
    actionNames: data.actionNames,
  };
  const targetViolations = findSupportViolations({ ...supportInputs, target: options.target });
  if (needsWeights && supportMode === "error")
    assertSupport({ ...supportInputs, target: options.target }, "target");
  let baselineViolations: SupportViolation[] | undefined;
  if (baselineMatrix !== undefined) {
    baselineViolations = findSupportViolations({ ...supportInputs, target: baselineMatrix });
    if (needsWeights && supportMode === "error")
      assertSupport({ ...supportInputs, target: baselineMatrix }, "baseline");
  }
  const controlMatrix = options.baseline === "control" ? baselineMatrix! : constantPolicy(n, k, 0);
  const controlViolations = findSupportViolations({ ...supportInputs, target: controlMatrix });
  const withIncremental = !needsWeights || controlViolations.length === 0;
  if (!withIncremental)
    notes.push(
      `no offer (action 0) lacks logging support on ${controlViolations[0]!.rows} rows (${controlViolations[0]!.kind}), ` +
        "so incremental value, incremental cost and CPIV are not estimated",
    );
  if (targetViolations.length > 0 && supportMode === "report")
    notes.push(
      "the target policy has support violations (see diagnostics.supportViolations): weighted estimates are biased",
    );

  const policies: [PolicyKey, Float64Array][] = [["target", options.target]];
  if (withIncremental) policies.push(["control", controlMatrix]);
  if (baselineMatrix !== undefined) policies.push(["baseline", baselineMatrix]);

  const intervalOptions = options.interval ?? {};
  const method = intervalOptions.method ?? "bootstrap";
  const level = intervalOptions.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`interval level must be in (0, 1), got ${level}`);
  const seed = intervalOptions.rng
    ? intervalOptions.rng.split("ope-bootstrap").seed
    : String(intervalOptions.seed ?? 0);
  const estimates: Partial<Record<EstimatorName, PolicyEstimates>> = {};
  for (const estimator of estimators) {
    const rounds = new Map<PolicyKey, HeadRounds>();
    for (const [key, matrix] of policies) {
      const value = estimatePolicyValue(
        estimator,
        { k, action, propensity, reward: data.value, target: matrix, qHat: options.qHat?.value },
        { clip: options.clip, tau: options.tau, validate: false },
      ).rounds;
      const cost = hasCost
        ? estimatePolicyValue(
            estimator,
            { k, action, propensity, reward: data.cost!, target: matrix, qHat: options.qHat?.cost },
            { clip: options.clip, tau: options.tau, validate: false },
          ).rounds
        : undefined;
      rounds.set(key, { value, cost });
    }
    const quantities =
      method === "bootstrap"
        ? bootstrapQuantities(rounds, {
            level,
            resamples: intervalOptions.resamples ?? 1000,
            scheme: intervalOptions.scheme ?? "multinomial",
            rng: createRng(seed),
          })
        : normalQuantities(rounds, level);
    estimates[estimator] = assemble(quantities, rounds, populationSize);
  }

  const diag = (m: Float64Array) =>
    weightDiagnostics(importanceWeights({ k, action, propensity, target: m }), {
      clip: options.clip,
      tau: options.tau,
    });
  return {
    n,
    k,
    populationSize,
    treatment: realized ? "realized" : "assigned",
    interval:
      method === "bootstrap"
        ? {
            method,
            level,
            resamples: intervalOptions.resamples ?? 1000,
            scheme: intervalOptions.scheme ?? "multinomial",
            seed,
          }
        : { method, level },
    estimates,
    diagnostics: {
      target: diag(options.target),
      baseline: baselineMatrix !== undefined ? diag(baselineMatrix) : undefined,
      control: withIncremental ? diag(controlMatrix) : undefined,
      supportViolations: {
        target: targetViolations,
        baseline: baselineViolations,
        control: controlViolations,
      },
    },
    notes,
  };
}

/**
 * The non-throwing variant of {@link evaluatePolicy}: `{ success: true, data }` or
 * `{ success: false, error }` with the `CiaError` (data issues, support violations).
 *
 * @example
 * const r = safeEvaluatePolicy(data, { target });
 * if (!r.success) console.error(r.error.message);
 */
export function safeEvaluatePolicy(
  data: OpeData,
  options: EvaluatePolicyOptions,
): { success: true; data: PolicyEvaluation } | { success: false; error: CiaError } {
  try {
    return { success: true, data: evaluatePolicy(data, options) };
  } catch (error) {
    if (CiaError.isInstance(error)) return { success: false, error };
    throw error;
  }
}

/** Per-policy, per-head quantities: point estimates and intervals of means, differences, ratios. */
interface Quantities {
  mean(policy: PolicyKey, head: "value" | "cost"): Estimate;
  difference(policy: PolicyKey, reference: PolicyKey, head: "value" | "cost"): Estimate;
  /** (numerator head difference) / (denominator head difference), policy minus reference. */
  ratio(policy: PolicyKey, reference: PolicyKey, numerator: "value" | "cost"): Estimate;
}

function normalQuantities(rounds: Map<PolicyKey, HeadRounds>, level: number): Quantities {
  const z = normalQuantile(1 - (1 - level) / 2);
  const col = (p: PolicyKey, h: "value" | "cost") => rounds.get(p)![h]!;
  const wald = (estimate: number, se: number): Estimate => ({
    estimate,
    lower: estimate - z * se,
    upper: estimate + z * se,
    se,
  });
  return {
    mean(p, h) {
      const x = col(p, h);
      const m = numpyMean(x);
      return wald(m, Math.sqrt(variance(x, m) / x.length));
    },
    difference(p, r, h) {
      const a = col(p, h);
      const b = col(r, h);
      const d = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) d[i] = a[i]! - b[i]!;
      return wald(numpyMean(a) - numpyMean(b), Math.sqrt(variance(d, numpyMean(d)) / d.length));
    },
    ratio(p, r, numHead) {
      const denHead = numHead === "value" ? "cost" : "value";
      const an = col(p, numHead);
      const bn = col(r, numHead);
      const ad = col(p, denHead);
      const bd = col(r, denHead);
      const num = numpyMean(an) - numpyMean(bn);
      const den = numpyMean(ad) - numpyMean(bd);
      const ratio = num / den;
      // Delta method: Var(R) ~ Var(dn_i - R dd_i) / (n den^2), with dn, dd the per-round differences.
      const n = an.length;
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) u[i] = an[i]! - bn[i]! - ratio * (ad[i]! - bd[i]!);
      return wald(ratio, Math.sqrt(variance(u, numpyMean(u)) / n) / Math.abs(den));
    },
  };
}

function bootstrapQuantities(
  rounds: Map<PolicyKey, HeadRounds>,
  options: { level: number; resamples: number; scheme: BootstrapScheme; rng: Rng },
): Quantities {
  const columns: Float64Array[] = [];
  const index = new Map<string, number>();
  for (const [p, r] of rounds) {
    index.set(`${p}/value`, columns.push(r.value) - 1);
    if (r.cost) index.set(`${p}/cost`, columns.push(r.cost) - 1);
  }
  const boot = bootstrapSums(columns, {
    resamples: options.resamples,
    scheme: options.scheme,
    rng: options.rng,
  });
  const m = boot.m;
  const B = boot.resamples;
  const replicateMeans = (p: PolicyKey, h: "value" | "cost"): Float64Array => {
    const j = index.get(`${p}/${h}`)!;
    const out = new Float64Array(B);
    for (let b = 0; b < B; b++) out[b] = boot.sums[b * m + j]! / boot.totals[b]!;
    return out;
  };
  const fromReplicates = (estimate: number, reps: Float64Array): Estimate => {
    // A ratio whose denominator hits 0 in some resample has no usable percentile interval.
    if (!reps.every(Number.isFinite))
      return { estimate, lower: Number.NaN, upper: Number.NaN, se: Number.NaN };
    const { lower, upper } = percentileInterval(reps, options.level);
    return { estimate, lower, upper, se: sd(reps) };
  };
  const col = (p: PolicyKey, h: "value" | "cost") => rounds.get(p)![h]!;
  return {
    mean(p, h) {
      return fromReplicates(numpyMean(col(p, h)), replicateMeans(p, h));
    },
    difference(p, r, h) {
      const a = replicateMeans(p, h);
      const b = replicateMeans(r, h);
      for (let i = 0; i < B; i++) a[i]! -= b[i]!;
      return fromReplicates(numpyMean(col(p, h)) - numpyMean(col(r, h)), a);
    },
    ratio(p, r, numHead) {
      const denHead = numHead === "value" ? "cost" : "value";
      const num = replicateMeans(p, numHead);
      const numRef = replicateMeans(r, numHead);
      const den = replicateMeans(p, denHead);
      const denRef = replicateMeans(r, denHead);
      const reps = new Float64Array(B);
      for (let i = 0; i < B; i++) reps[i] = (num[i]! - numRef[i]!) / (den[i]! - denRef[i]!);
      const estimate =
        (numpyMean(col(p, numHead)) - numpyMean(col(r, numHead))) /
        (numpyMean(col(p, denHead)) - numpyMean(col(r, denHead)));
      return fromReplicates(estimate, reps);
    },
  };
}

function assemble(
  q: Quantities,
  rounds: Map<PolicyKey, HeadRounds>,
  populationSize: number,
): PolicyEstimates {
  const hasCost = rounds.get("target")!.cost !== undefined;
  const total = (e: Estimate): Estimate => ({
    estimate: e.estimate * populationSize,
    lower: e.lower * populationSize,
    upper: e.upper * populationSize,
    se: e.se * populationSize,
  });
  const compare = (reference: PolicyKey): Comparison => {
    const value = q.difference("target", reference, "value");
    const cost = hasCost ? q.difference("target", reference, "cost") : undefined;
    const excludesZero = (e: Estimate) => e.lower > 0 || e.upper < 0;
    return {
      value,
      cost,
      totalValue: total(value),
      totalCost: cost ? total(cost) : undefined,
      cpiv: cost ? { ...q.ratio("target", reference, "value"), defined: excludesZero(cost) } : undefined,
      costPerIncrementalValue: cost
        ? { ...q.ratio("target", reference, "cost"), defined: excludesZero(value) }
        : undefined,
    };
  };
  const value = q.mean("target", "value");
  const cost = hasCost ? q.mean("target", "cost") : undefined;
  return {
    value,
    cost,
    totalValue: total(value),
    totalCost: cost ? total(cost) : undefined,
    incremental: rounds.has("control") ? compare("control") : undefined,
    versusBaseline: rounds.has("baseline")
      ? {
          ...compare("baseline"),
          baselineValue: q.mean("baseline", "value"),
          baselineCost: hasCost ? q.mean("baseline", "cost") : undefined,
        }
      : undefined,
  };
}

function variance(x: Float64Array, mean: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - mean) ** 2;
  return x.length > 1 ? s / (x.length - 1) : Number.NaN;
}

function sd(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  return Math.sqrt(variance(x, m / x.length));
}

function prefix(issue: DataIssue, head: string): DataIssue {
  return issue.path[0] === "reward"
    ? { ...issue, path: [head, ...issue.path.slice(1)] }
    : rename(issue, "reward", head);
}

function rename(issue: DataIssue, from: string, to: string): DataIssue {
  return {
    ...issue,
    path: issue.path.map((p) => (p === from ? to : p)),
    message: issue.message.replace(from, to),
  };
}

function dedupe(issues: DataIssue[]): DataIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}:${i.path.join(".")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
