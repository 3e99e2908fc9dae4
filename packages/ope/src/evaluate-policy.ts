import { CiaError, DataValidationError, createRng } from "@cia/core";
import { assembleEstimates } from "./assemble-estimates.js";
import { BAGGED_HASH, bagOf } from "./bagged-bootstrap.js";
import { bootstrapQuantities } from "./bootstrap-quantities.js";
import type {
  EvaluatePolicyOptions,
  OpeData,
  PolicyEstimates,
  PolicyEvaluation,
} from "./evaluate-policy-types.js";
import { importanceWeights } from "./importance-weights.js";
import { resolveInterval } from "./interval-settings.js";
import { normalQuantities } from "./normal-quantities.js";
import { constantPolicy } from "./policy-matrix.js";
import { policyRounds } from "./policy-quantities.js";
import type { PolicyKey } from "./policy-quantities.js";
import { checkPolicySupport } from "./policy-support.js";
import { MODEL_BASED_ESTIMATORS } from "./types.js";
import type { EstimatorName } from "./types.js";
import { evaluationIssues } from "./validate-evaluation.js";
import { weightDiagnostics } from "./weight-diagnostics.js";

// The types of the signature, for callers that import the function and its types from one file.
export type { EvaluatePolicyOptions, OpeData, PolicyEvaluation } from "./evaluate-policy-types.js";

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
  const estimators: readonly EstimatorName[] =
    options.estimators ??
    (options.qHat ? ["dm", "ips", "snips", "dr", "sndr", "switch-dr"] : ["ips", "snips"]);
  const needsModel = estimators.some((e) => MODEL_BASED_ESTIMATORS.includes(e));
  const needsWeights = estimators.some((e) => e !== "dm");

  // Built before validation, as constantPolicy's RangeError on a bad k has always come first.
  const baselineMatrix = options.baseline === "control" ? constantPolicy(n, k, 0) : options.baseline;
  const issues = evaluationIssues(data, options, { action, propensity, realized, estimators, needsModel });
  if (issues.length > 0) throw new DataValidationError(issues);

  const support = checkPolicySupport(
    { k, action, loggingProbabilities: data.loggingProbabilities, actionNames: data.actionNames },
    options.target,
    baselineMatrix && { matrix: baselineMatrix, isControl: options.baseline === "control" },
    { needsWeights, mode: options.support ?? "error" },
  );
  const policies: [PolicyKey, Float64Array][] = [["target", options.target]];
  if (support.withIncremental) policies.push(["control", support.controlMatrix]);
  if (baselineMatrix !== undefined) policies.push(["baseline", baselineMatrix]);

  const interval = resolveInterval(options.interval, n);
  // "bagged": rows are the units (bag = hash of the row number), bagged once for every estimator.
  const bagged =
    interval.method === "bootstrap" && interval.scheme === "bagged"
      ? { bagIndex: rowBags(n, interval.bags), bags: interval.bags, seed: integerSeed(interval.seed) }
      : undefined;
  const populationSize = options.populationSize ?? n;
  const logged = { k, action, propensity, value: data.value, cost: data.cost };
  const estimates: Partial<Record<EstimatorName, PolicyEstimates>> = {};
  for (const estimator of estimators) {
    const rounds = policyRounds(estimator, policies, logged, options.qHat, options);
    const quantities =
      interval.method === "bootstrap"
        ? bootstrapQuantities(rounds, {
            level: interval.level,
            resamples: interval.resamples,
            scheme: interval.scheme,
            rng: createRng(interval.seed),
            bagged,
          })
        : normalQuantities(rounds, interval.level);
    estimates[estimator] = assembleEstimates(quantities, rounds, populationSize);
  }

  const diagnostics = (m: Float64Array) =>
    weightDiagnostics(importanceWeights({ k, action, propensity, target: m }), {
      clip: options.clip,
      tau: options.tau,
    });
  return {
    n,
    k,
    populationSize,
    treatment: realized ? "realized" : "assigned",
    interval: interval.report,
    estimates,
    diagnostics: {
      target: diagnostics(options.target),
      baseline: baselineMatrix !== undefined ? diagnostics(baselineMatrix) : undefined,
      control: support.withIncremental ? diagnostics(support.controlMatrix) : undefined,
      supportViolations: { target: support.target, baseline: support.baseline, control: support.control },
    },
    notes: support.notes,
  };
}

/** The bag of every row number, as `bagOf` (the warehouse's hash). */
function rowBags(n: number, bags: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = bagOf(i, bags);
  return out;
}

/** The integer seed of the bagged scheme's hashed weights: a decimal seed as it is, any other text hashed. */
function integerSeed(seed: string): number {
  if (/^\d{1,15}$/.test(seed)) return Number(seed) % BAGGED_HASH.modulus;
  return Math.floor(createRng(seed).next() * BAGGED_HASH.modulus);
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
