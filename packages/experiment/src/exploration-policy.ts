import { CiaError } from "@cia/core";
import { assignmentBucket } from "./assignment-hash.js";
import { actionForBucket, bucketMap } from "./bucket-map.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * How a deployed policy explores around its recommendation (lessons 10 and 15, the Decision
 * Service's "explore" step): a share `epsilon` of the probability mass is spread evenly over the
 * unit's eligible actions, the rest stays on the recommended action, and every eligible action
 * keeps at least `floor`.
 */
export interface ExplorationSettings {
  /** Share of mass spread uniformly over the eligible actions, in [0, 1]. 0 = deterministic. */
  epsilon: number;
  /**
   * Minimum probability of every eligible action, in [0, 1/|eligible|] (default 0). When it binds
   * it raises the exploration share to `|eligible| * floor`, so `epsilon: 0, floor: f` still
   * explores.
   */
  floor?: number;
  /**
   * Minimum probability of no offer (action 0) when an offer is recommended, in [0, 1] (default 0):
   * the extra mass is taken from the recommended offer. Exploring "no offer" costs nothing, so it
   * is the cheap way to learn each offer's baseline: with a small `floor` on the offers and a larger
   * `controlFloor`, the importance weights of no offer stay small (<= 1 / controlFloor) while the
   * exploration spends little of the budget.
   */
  controlFloor?: number;
  /** Salt of the deterministic draw (a new salt re-randomizes who explores). */
  salt: string;
}

/** The hash "program" of exploration draws: keeps them independent of experiment assignments. */
export const EXPLORATION_PROGRAM = "exploration";

/**
 * Probabilities over K actions (index 0 = no offer) mixing the recommended action with
 * exploration over the eligible ones (eligible[k] = 1); every eligible action gets >= floor.
 *
 *   e = max(epsilon, m * floor),  p_a = e / m + (1 - e) * [a = recommended]  for eligible a,
 *   p_a = 0 for ineligible a,  where m = number of eligible actions.
 *
 * Every eligible action gets e / m >= floor, so any target policy over the eligible actions has
 * importance ratio <= m / e: off-policy evaluation of other policies is supported exactly when
 * e > 0. The recommended action must itself be eligible.
 *
 * @example
 * explorationDistribution(2, [1, 1, 1, 0], { epsilon: 0.3, salt: "s" });
 * // Float64Array [0.1, 0.1, 0.8, 0]
 */
export function explorationDistribution(
  recommended: number,
  eligible: ArrayLike<number>,
  settings: ExplorationSettings,
  out: Float64Array = new Float64Array(eligible.length),
): Float64Array {
  const k = eligible.length;
  const floor = settings.floor ?? 0;
  const { epsilon } = settings;
  if (!(epsilon >= 0 && epsilon <= 1)) {
    throw new CiaError<ExperimentErrorCode>("invalid_option", `epsilon must be in [0, 1], got ${epsilon}`, {
      epsilon,
    });
  }
  if (!Number.isInteger(recommended) || recommended < 0 || recommended >= k || eligible[recommended] !== 1) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_action",
      `recommended action ${recommended} is not an eligible action of 0..${k - 1}`,
      { recommended, k },
    );
  }
  let m = 0;
  for (let a = 0; a < k; a++) if (eligible[a] === 1) m++;
  if (!(floor >= 0 && floor * m <= 1 + 1e-12)) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_option",
      `floor must be in [0, 1/${m}] for ${m} eligible actions, got ${floor}`,
      { floor, eligible: m },
    );
  }
  const controlFloor = settings.controlFloor ?? 0;
  if (!(controlFloor >= 0 && controlFloor <= 1)) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_option",
      `controlFloor must be in [0, 1], got ${controlFloor}`,
      { controlFloor },
    );
  }
  const e = Math.min(1, Math.max(epsilon, m * floor));
  const each = e / m;
  for (let a = 0; a < k; a++) out[a] = eligible[a] === 1 ? each : 0;
  const moved = recommended === 0 || eligible[0] !== 1 ? 0 : controlShift(e, m, controlFloor);
  out[recommended] = out[recommended]! + (1 - e - moved);
  out[0] = out[0]! + moved;
  return out;
}

/**
 * Mass moved from a recommended offer to no offer so that no offer has at least `controlFloor`
 * (never more than the recommendation's own share 1 - e).
 */
export function controlShift(e: number, m: number, controlFloor: number): number {
  return Math.max(0, Math.min(controlFloor - e / m, 1 - e));
}

/**
 * Deterministic draw from the unit id and salt (murmur3 via the package's assignment hashing):
 * same unit + salt + probs -> same action. The unit's bucket is `assignmentBucket(salt,
 * "exploration", unitId)`; the action is the one owning that bucket in `bucketMap(probs)`, and the
 * returned propensity is that action's exact realized probability (what should be logged).
 *
 * @example
 * const probs = explorationDistribution(1, [1, 1, 1], { epsilon: 0.2, salt: "p1" });
 * drawExploredAction("u000042", "p1", probs); // { action: 1, propensity: 0.8666... } on every run
 */
export function drawExploredAction(
  unitId: string,
  salt: string,
  probs: ArrayLike<number>,
): { action: number; propensity: number } {
  const map = bucketMap(probs);
  const action = actionForBucket(map.thresholds, assignmentBucket(salt, EXPLORATION_PROGRAM, unitId));
  return { action, propensity: map.probabilities[action]! };
}
