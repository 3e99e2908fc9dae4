import { allocate, candidatesFromMatrix } from "@cia/optimizer";
import type { EffectScores } from "./decision-stage.js";

/** Guardrails of a config run, applied to every rule's allocation. */
export interface RuleGuardrails {
  /** At most this share of the units gets an offer. */
  readonly maxTreatedShare?: number | undefined;
  readonly minValuePerCost?: number | undefined;
  readonly maxCostPerValue?: number | undefined;
}

/**
 * One candidate rule's allocation of `n` units: the optimizer on the rule's predictions (on the
 * bootstrap lower bound of value when `risk`), at a total budget, under the guardrails. The
 * decision layer and the shipped assignment both allocate through it, so what was evaluated is
 * what ships.
 *
 * @example
 * const actions = allocateRule(scores, { n, k, budget: perUnit * n });
 */
export function allocateRule(
  scores: EffectScores,
  options: {
    n: number;
    k: number;
    budget: number;
    risk?: boolean | undefined;
    guardrails?: RuleGuardrails | undefined;
  },
): Int32Array {
  const { n, k, budget, risk, guardrails: g } = options;
  const c = candidatesFromMatrix({
    nUnits: n,
    nActions: k,
    tauValue: scores.tauValue,
    tauCost: scores.tauCost,
    tauValueLower: risk ? scores.tauValueLower : undefined,
  });
  const rails = {
    ...(g?.maxTreatedShare !== undefined ? { maxTreated: Math.floor(g.maxTreatedShare * n) } : {}),
    ...(g?.minValuePerCost !== undefined ? { minValuePerCost: g.minValuePerCost } : {}),
    ...(g?.maxCostPerValue !== undefined ? { maxCostPerValue: g.maxCostPerValue } : {}),
  };
  return allocate(c, risk ? { budget, risk: "lower", ...rails } : { budget, ...rails }).action;
}
