import { argsort } from "@cia/core";
import { type AllocationOptions, normalizeProblem } from "./allocation-options.js";
import type { Candidates } from "./candidates.js";
import { pruneNormalized } from "./prune-candidates.js";
import { buildIncrements } from "./solve-single-constraint.js";

/** Hull increments in rank order (arrays aligned by rank). */
export interface EfficiencyRanking {
  /** unit of each increment */
  unit: Int32Array;
  /** action the unit moves from (0 = no offer) and to */
  fromAction: Int32Array;
  toAction: Int32Array;
  /** incremental value and cost of the move */
  deltaValue: Float64Array;
  deltaCost: Float64Array;
  /**
   * deltaValue / deltaCost: marginal value per unit of cost, non-increasing; clamped so that no
   * step of a unit ranks above an earlier step of the same unit (near-collinear options can make
   * the quotient a rounding step larger), which keeps every unit's steps in hull order
   */
  efficiency: Float64Array;
  /** units that start on a free or cost-saving option (taken before any budget is spent) */
  freeUnits: Int32Array;
  freeActions: Int32Array;
}

/**
 * Rank surviving options by incremental efficiency, value-aware: every unit's (cost, value) hull
 * steps — first offer, then upgrades — ordered by marginal value per cost (ties by unit index, then
 * hull step: the order key of `allocate`'s single-limit greedy).
 * This is the order in which the single-budget allocation spends money, so the first k increments
 * are the optimal allocation of their total cost; it is never a cost-only order.
 *
 * @example
 * const rank = efficiencyRanking(candidates, { maxCostPerValue: 2 });
 * rank.efficiency[0]; // best marginal value per cost
 */
export function efficiencyRanking(
  candidates: Candidates,
  options: Pick<AllocationOptions, "maxCostPerValue" | "minValuePerCost" | "risk"> = {},
): EfficiencyRanking {
  const problem = normalizeProblem(candidates, options);
  const prune = pruneNormalized(candidates, problem);
  const inc = buildIncrements(candidates.nUnits, prune, candidates.tauCost, problem.value, true);
  const order = argsort(inc.slope.subarray(0, inc.nInc), { descending: true });
  const n = inc.nInc;
  const out: EfficiencyRanking = {
    unit: new Int32Array(n),
    fromAction: new Int32Array(n),
    toAction: new Int32Array(n),
    deltaValue: new Float64Array(n),
    deltaCost: new Float64Array(n),
    efficiency: new Float64Array(n),
    freeUnits: new Int32Array(0),
    freeActions: new Int32Array(0),
  };
  for (let q = 0; q < n; q++) {
    const e = order[q]!;
    out.unit[q] = inc.incUnit[e]!;
    const from = inc.incFrom[e]!;
    out.fromAction[q] = from < 0 ? 0 : candidates.action[from]!;
    out.toAction[q] = candidates.action[inc.incTo[e]!]!;
    out.deltaValue[q] = inc.incDv[e]!;
    out.deltaCost[q] = inc.incDa[e]!;
    out.efficiency[q] = inc.slope[e]!;
  }
  const free: number[] = [];
  for (let u = 0; u < candidates.nUnits; u++) if (inc.choice[u]! >= 0) free.push(u);
  out.freeUnits = Int32Array.from(free);
  out.freeActions = Int32Array.from(free, (u) => candidates.action[inc.choice[u]!]!);
  return out;
}
