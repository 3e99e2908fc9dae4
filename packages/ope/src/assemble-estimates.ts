import type { Comparison, PolicyEstimates } from "./evaluate-policy-types.js";
import type { Estimate } from "./types.js";
import type { HeadRounds, PolicyKey, Quantities } from "./policy-quantities.js";

/** An estimate per unit scaled to a total over `populationSize` units (interval and se alike). */
export function totalOver(e: Estimate, populationSize: number): Estimate {
  return {
    estimate: e.estimate * populationSize,
    lower: e.lower * populationSize,
    upper: e.upper * populationSize,
    se: e.se * populationSize,
  };
}

/**
 * One estimator's {@link PolicyEstimates} from its quantities: the target's value and cost, their
 * totals, the comparison against no offer (when "control" was evaluated) and against the baseline
 * (when "baseline" was). A ratio is `defined` when its denominator's interval excludes 0.
 *
 * @example
 * const estimates = assembleEstimates(normalQuantities(rounds, 0.95), rounds, 10_000);
 */
export function assembleEstimates(
  q: Quantities,
  rounds: ReadonlyMap<PolicyKey, HeadRounds>,
  populationSize: number,
): PolicyEstimates {
  const hasCost = rounds.get("target")!.cost !== undefined;
  const total = (e: Estimate) => totalOver(e, populationSize);
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
