import { evaluatePolicy, policyFromActions } from "@cia/ope";
import type { EvaluatePolicyOptions, PolicyEvaluation } from "@cia/ope";
import type { EvaluationSet } from "./decision-stage.js";

/** Typed arrays end to end in one array. */
export function concatArrays<T extends Float64Array | Int32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * OPE of a policy on the decision layer's pooled evaluation sets (the holdout and the training
 * rows scored out of fold), with each set's own reward model, against the sets' baseline: the
 * same evidence the recommendation was chosen on, so the headline and the decision agree.
 *
 * @example
 * const ev = evaluateOnSets(sets, actionsPerSet, k, { method: "normal", level: 0.8 });
 */
export function evaluateOnSets(
  sets: readonly EvaluationSet[],
  target: Int32Array[],
  k: number,
  interval: EvaluatePolicyOptions["interval"],
): PolicyEvaluation {
  const f64 = (pick: (s: EvaluationSet) => Float64Array) =>
    concatArrays(sets.map(pick), (n) => new Float64Array(n));
  const probs = sets.every((s) => s.loggingProbabilities !== null)
    ? f64((s) => s.loggingProbabilities!)
    : undefined;
  return evaluatePolicy(
    {
      k,
      action: concatArrays(
        sets.map((s) => s.action),
        (n) => new Int32Array(n),
      ),
      propensity: f64((s) => s.propensity),
      value: f64((s) => s.value),
      cost: f64((s) => s.cost),
      ...(probs ? { loggingProbabilities: probs } : {}),
    },
    {
      target: policyFromActions(
        concatArrays(target, (n) => new Int32Array(n)),
        k,
      ),
      baseline: policyFromActions(
        concatArrays(
          sets.map((s) => s.baseline),
          (n) => new Int32Array(n),
        ),
        k,
      ),
      qHat: { value: f64((s) => s.qValue), cost: f64((s) => s.qCost) },
      estimators: ["dr", "snips"],
      interval,
    },
  );
}
