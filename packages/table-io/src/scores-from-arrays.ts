import type { ScoresColumns } from "./scores-columns.js";

/**
 * {@link ScoresColumns} from dense arrays, one per present score column (`present[k]` names
 * `arrays[k]`); an optional column that is absent stays absent. Internal to the package.
 *
 * @example
 * scoresFromArrays("s.csv", ids, actions, ["tau_value", "tau_cost"], [v, c]);
 */
export function scoresFromArrays(
  file: string,
  unitIds: string[],
  actions: string[],
  present: readonly string[],
  arrays: readonly Float64Array[],
): ScoresColumns {
  const col = (name: string) => {
    const k = present.indexOf(name);
    return k < 0 ? undefined : arrays[k];
  };
  const out: ScoresColumns = {
    file,
    unitIds,
    actions,
    tauValue: col("tau_value")!,
    tauCost: col("tau_cost")!,
  };
  const lower = col("tau_value_lower");
  const upper = col("tau_value_upper");
  const costLower = col("tau_cost_lower");
  const costUpper = col("tau_cost_upper");
  if (lower) out.tauValueLower = lower;
  if (upper) out.tauValueUpper = upper;
  if (costLower) out.tauCostLower = costLower;
  if (costUpper) out.tauCostUpper = costUpper;
  return out;
}
