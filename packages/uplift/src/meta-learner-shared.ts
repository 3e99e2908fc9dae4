/**
 * Small pieces the S, T, X and DR learners share: one base fit on a subset of the rows, the values
 * of a column at some rows, the rows of an offer's pair with no-offer, and the propensity check.
 */
import { CiaError } from "@cia/core";
import type { FittedModel } from "@cia/learners";
import type { EffectHeadInput } from "./effect-head-input.js";
import { fitBase, type LearnerFactory } from "./learner-factory.js";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * `v` at the rows `idx`, in that order.
 *
 * @example
 * valuesAt(Float64Array.of(5, 6, 7), Int32Array.of(2, 0)); // [7, 5]
 */
export function valuesAt(v: ArrayLike<number>, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = v[idx[j]!]!;
  return out;
}

/**
 * A fresh base model of `target` on the rows `idx` of the head's design matrix, with the head's
 * shared fit options.
 *
 * @example
 * const mu0 = fitOnRows(learner, input, input.rows[0]!, valuesAt(input.y, input.rows[0]!));
 */
export function fitOnRows(
  factory: LearnerFactory,
  input: EffectHeadInput,
  idx: Int32Array,
  target: Float64Array,
): FittedModel {
  return fitBase(factory, input.x.selectRows(idx), target, input.shared);
}

/**
 * The rows of no-offer and offer `a` together, ascending.
 *
 * @example
 * pairRows(Int32Array.of(0, 3), Int32Array.of(1, 4)); // [0, 1, 3, 4]
 */
export function pairRows(r0: Int32Array, ra: Int32Array): Int32Array {
  const out = new Int32Array(r0.length + ra.length);
  out.set(r0);
  out.set(ra, r0.length);
  return out.sort();
}

/**
 * The training pairwise propensities, or a `missing_propensity` error for the learners that need them
 * (DR, and the X-learner's stacked combinations).
 *
 * @example
 * const g = requirePairwise(input); // n x K
 */
export function requirePairwise(input: EffectHeadInput): Float64Array {
  if (!input.pairwise)
    throw new CiaError<UpliftErrorCode>("missing_propensity", "this learner needs training propensities", {});
  return input.pairwise;
}
