import { CiaError } from "@cia/core";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Per action, how well a pooled log explores it. */
export interface ActionExploration {
  readonly action: string;
  /** Smallest logged probability of the action over the rows (0 when some row never could get it). */
  readonly minProbability: number;
  /** Rows whose logged probability of the action is below the floor (including 0). */
  readonly rowsBelowFloor: number;
  /** Expected number of rows that got the action by exploration alone (sum over rows of p, excluding p = 1). */
  readonly exploredRows: number;
}

/** The support check of a pooled log: which actions lack exploration for off-policy evaluation. */
export interface ExplorationSupport {
  readonly floor: number;
  readonly actions: ActionExploration[];
  /** Actions some rows could not get with probability >= floor: OPE of policies choosing them there is unsupported. */
  readonly lacking: string[];
  /** True when every action has probability >= floor on every row: any policy can be evaluated. */
  readonly supportsAnyPolicy: boolean;
}

/**
 * Check a pooled log's action distributions (n x K, e.g. from {@link loggedActionProbabilities})
 * for exploration: per action the minimum logged probability and how many rows fall below the
 * floor. A deterministic deployment (`--explore 0`) shows up as every non-chosen action lacking.
 * Unknown probabilities (NaN) count as below the floor.
 *
 * @example
 * explorationSupport(probs, ["control", "credit_5"], { floor: 0.01 }).lacking; // e.g. ["credit_5"]
 */
export function explorationSupport(
  probabilities: ArrayLike<number>,
  actions: readonly string[],
  options: { floor: number; eligible?: ArrayLike<number> | undefined },
): ExplorationSupport {
  const k = actions.length;
  const n = probabilities.length / k;
  if (!Number.isInteger(n)) {
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `probabilities length ${probabilities.length} is not n x ${k}`,
    );
  }
  const { floor } = options;
  const per: ActionExploration[] = actions.map((action, a) => {
    let min = Number.POSITIVE_INFINITY;
    let below = 0;
    let explored = 0;
    for (let i = 0; i < n; i++) {
      if (options.eligible && options.eligible[i * k + a] !== 1) continue;
      const p = probabilities[i * k + a]!;
      const q = Number.isNaN(p) ? 0 : p;
      if (q < min) min = q;
      if (!(q >= floor)) below++;
      if (q < 1) explored += q;
    }
    return { action, minProbability: n === 0 ? 0 : min, rowsBelowFloor: below, exploredRows: explored };
  });
  const lacking = per.filter((p) => p.rowsBelowFloor > 0).map((p) => p.action);
  return { floor, actions: per, lacking, supportsAnyPolicy: lacking.length === 0 };
}
