import { CiaError } from "@cia/core";
import type { OpeErrorCode } from "./error-codes.js";

/** Inputs of {@link realizedTreatment}. */
export interface RealizedTreatmentInputs {
  readonly k: number;
  /** Assigned action per unit. */
  readonly action: Int32Array;
  /** 1 if the assigned offer was realized (delivered and seen); control rows are always realized control. */
  readonly compliant: Uint8Array;
  /** The logging (assignment) distribution pi_b(a | x_i), n x K. */
  readonly loggingProbabilities: Float64Array;
  /**
   * P(realized | x_i, assigned a): one number, one per action (length K), or n x K. Known from the
   * delivery system or estimated; column 0 is ignored (no offer is always "realized").
   */
  readonly complianceProbability: number | Float64Array;
}

/**
 * Non-compliance (lesson 5): the realized treatment and its propensity, for evaluating a policy on
 * the treatment units actually received. An unrealized offer counts as no offer (action 0):
 * D_i = a_i if compliant else 0, with
 * P(D = d | x) = pi_b(d|x) q(x, d) for d != 0 and P(D = 0 | x) = pi_b(0|x) + sum_{a != 0} pi_b(a|x) (1 - q(x, a)),
 * q the compliance probability.
 *
 * Assumptions, stated because the estimate depends on them: (1) an offer that was not delivered or
 * seen has the effect of no offer (exclusion); (2) compliance is ignorable given x (nothing
 * unobserved drives both compliance and the outcome), so D is as good as randomized given x;
 * (3) q is right. The target policy is then read as a distribution over realized treatments.
 * To value an assignment rule that will meet the same non-compliance, evaluate on the assigned
 * action instead (the intent-to-treat default).
 *
 * @example
 * const { action, propensity } = realizedTreatment({ k, action: log.action, compliant: log.compliant,
 *   loggingProbabilities: log.actionProbabilities, complianceProbability: 0.8 });
 */
export function realizedTreatment(inputs: RealizedTreatmentInputs): {
  action: Int32Array;
  propensity: Float64Array;
} {
  const { k, action, compliant, loggingProbabilities, complianceProbability } = inputs;
  const n = action.length;
  if (compliant.length !== n || loggingProbabilities.length !== n * k)
    throw new CiaError<OpeErrorCode>(
      "invalid_input",
      "realizedTreatment: compliant must have n entries and loggingProbabilities n x K",
      {
        n,
        k,
        compliant: compliant.length,
        loggingProbabilities: loggingProbabilities.length,
      },
    );
  const q = (i: number, a: number): number => {
    if (typeof complianceProbability === "number") return complianceProbability;
    return complianceProbability.length === k ? complianceProbability[a]! : complianceProbability[i * k + a]!;
  };
  if (
    typeof complianceProbability !== "number" &&
    complianceProbability.length !== k &&
    complianceProbability.length !== n * k
  )
    throw new CiaError<OpeErrorCode>(
      "invalid_input",
      "complianceProbability must be a number, K values or n x K values",
      {
        length: complianceProbability.length,
      },
    );
  const realized = new Int32Array(n);
  const propensity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = action[i]!;
    const d = a !== 0 && compliant[i] === 1 ? a : 0;
    realized[i] = d;
    if (d !== 0) {
      propensity[i] = loggingProbabilities[i * k + d]! * q(i, d);
    } else {
      let p = loggingProbabilities[i * k]!;
      for (let b = 1; b < k; b++) p += loggingProbabilities[i * k + b]! * (1 - q(i, b));
      propensity[i] = p;
    }
  }
  return { action: realized, propensity };
}
