import type { Population } from "../world-types.js";

/**
 * Segment of a unit for a deliberately simple uplift model: lifecycle x price-sensitivity bin x
 * inactivity bin (48 cells). If even this beats the lifecycle heuristic, the effects are learnable.
 *
 * @example
 * const c = learnabilityCell(pop, 0); // 0..47
 */
export function learnabilityCell(pop: Population, i: number): number {
  const p = pop.features.cols;
  const sens = pop.features.data[i * p + 4]!;
  const d = pop.daysInactive[i]!;
  const sb = sens < 0.35 ? 0 : sens < 0.55 ? 1 : sens < 0.75 ? 2 : 3;
  const db = d < 45 ? 0 : d < 90 ? 1 : d < 180 ? 2 : 3;
  return pop.lifecycle[i]! * 16 + sb * 4 + db;
}
