import type { OpeData, RewardModels } from "./evaluate-policy-types.js";
import { estimatePolicyValue } from "./estimate-policy-value.js";
import type { Estimate, EstimatorName, EstimatorOptions } from "./types.js";

/** The policies an evaluation compares: the candidate, no offer for anyone, the baseline. */
export type PolicyKey = "target" | "control" | "baseline";

/** An outcome head. */
export type Head = "value" | "cost";

/** One policy's per-round contributions of one estimator, per head. */
export interface HeadRounds {
  value: Float64Array;
  cost?: Float64Array | undefined;
}

/**
 * Per-policy, per-head quantities with intervals: means, paired differences and ratios of
 * differences. {@link normalQuantities} and {@link bootstrapQuantities} implement it.
 */
export interface Quantities {
  mean(policy: PolicyKey, head: Head): Estimate;
  difference(policy: PolicyKey, reference: PolicyKey, head: Head): Estimate;
  /** (numerator head difference) / (denominator head difference), policy minus reference. */
  ratio(policy: PolicyKey, reference: PolicyKey, numerator: Head): Estimate;
}

/**
 * Run one estimator (inputs already validated) on each policy and head and keep the per-round
 * contributions, from which every mean, difference and interval is computed. `logged` holds the
 * treatment the evaluation runs on (realized or assigned).
 *
 * @example
 * const rounds = policyRounds("dr", [["target", target], ["control", control]], logged, qHat, {});
 */
export function policyRounds(
  estimator: EstimatorName,
  policies: readonly (readonly [PolicyKey, Float64Array])[],
  logged: Pick<OpeData, "k" | "action" | "propensity" | "value" | "cost">,
  qHat: RewardModels | undefined,
  options: EstimatorOptions,
): Map<PolicyKey, HeadRounds> {
  const { k, action, propensity } = logged;
  const settings = { clip: options.clip, tau: options.tau, validate: false };
  const rounds = new Map<PolicyKey, HeadRounds>();
  for (const [key, matrix] of policies) {
    const value = estimatePolicyValue(
      estimator,
      { k, action, propensity, reward: logged.value, target: matrix, qHat: qHat?.value },
      settings,
    ).rounds;
    const cost = logged.cost
      ? estimatePolicyValue(
          estimator,
          { k, action, propensity, reward: logged.cost, target: matrix, qHat: qHat?.cost },
          settings,
        ).rounds
      : undefined;
    rounds.set(key, { value, cost });
  }
  return rounds;
}

/** The other head: the denominator of a ratio whose numerator is `head`. */
export function otherHead(head: Head): Head {
  return head === "value" ? "cost" : "value";
}
