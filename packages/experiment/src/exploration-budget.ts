import { CiaError } from "@cia/core";
import type { ExperimentErrorCode } from "./error-codes.js";
import { type ExplorationSettings, controlShift, explorationDistribution } from "./exploration-policy.js";

/** What {@link explorationBudget} needs: predicted costs, eligibility and the allocation to mix. */
export interface ExplorationBudgetInput {
  /** Units n and actions K (index 0 = no offer). */
  readonly n: number;
  readonly k: number;
  /** Predicted incremental cost per unit and action, n x K (negative predictions count as 0). */
  readonly predictedCost: ArrayLike<number>;
  /** 1 where the action is eligible for the unit, n x K (default: all eligible). */
  readonly eligible?: ArrayLike<number> | undefined;
  /** Total budget on expected incremental cost of the shipped (mixed) policy. */
  readonly budget: number;
  readonly settings: ExplorationSettings;
  /** The recommendation at a handed budget: one action per unit (e.g. the optimizer). */
  readonly allocate: (handedBudget: number) => ArrayLike<number>;
  /** Bisection steps on the handed budget (default 30). */
  readonly iterations?: number | undefined;
}

/** The budget-safe mixed policy: recommended actions, the n x K distribution and its expected cost. */
export interface ExplorationBudget {
  /** Budget handed to the recommendation so that the mixture's expected predicted cost <= budget. */
  readonly handedBudget: number;
  readonly recommended: Int32Array;
  /** Shipped action distribution per unit, n x K. */
  readonly probabilities: Float64Array;
  /** Expected predicted cost of the mixture: exploration part + recommended part. */
  readonly expectedCost: number;
  readonly explorationCost: number;
  /** False when exploration alone is predicted to cost more than the budget (then nothing is recommended). */
  readonly feasible: boolean;
}

/**
 * Solve the recommendation at a reduced budget so that the shipped mixture of recommendation and
 * exploration is budget-safe in expectation. Under `explorationDistribution` unit i's expected
 * cost is `(e_i / m_i) * sum_{a eligible} c_ia + (1 - e_i) * c_{i, rec_i}`: the exploration term
 * does not depend on the recommendation, so the handed budget h is the largest for which
 * `explorationCost + sum_i (1 - e_i) c_{i, rec_i(h)} <= budget`. With one exploration share e for
 * all units this is `h = (budget - explorationCost) / (1 - e)`; when floors make e_i differ, h is
 * found by bisection on [0, (budget - explorationCost) / (1 - max e_i)], keeping the feasible end.
 * "Expected" is over the exploration draw, on the predicted costs; predicted-versus-true spend is
 * the budget calibration's job, not this one's.
 *
 * @example
 * const b = explorationBudget({ n, k, predictedCost: tauCost, budget: 5000,
 *   settings: { epsilon: 0.1, salt: "p3" }, allocate: (h) => allocateFromMatrix(input, { budget: h }).action });
 * b.expectedCost <= 5000; // true when b.feasible
 */
export function explorationBudget(input: ExplorationBudgetInput): ExplorationBudget {
  const { n, k, budget, settings } = input;
  const c = input.predictedCost;
  if (c.length !== n * k || (input.eligible && input.eligible.length !== n * k)) {
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `predictedCost and eligible must have n x K = ${n * k} entries`,
    );
  }
  if (!(budget >= 0)) {
    throw new CiaError<ExperimentErrorCode>("invalid_option", `budget must be >= 0, got ${budget}`, {
      budget,
    });
  }
  // Unit i's eligible set (no offer always included), its exploration share e_i, and the
  // exploration part of its expected cost: (e_i / m_i) * sum over eligible a of c_ia.
  const elig = new Uint8Array(n * k);
  for (let j = 0; j < n * k; j++) elig[j] = !input.eligible || input.eligible[j] === 1 || j % k === 0 ? 1 : 0;
  const floor = settings.floor ?? 0;
  const share = new Float64Array(n);
  let explorationCost = 0;
  let maxShare = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    let sumC = 0;
    for (let a = 0; a < k; a++) {
      if (elig[i * k + a] !== 1) continue;
      m++;
      sumC += Math.max(0, c[i * k + a]!);
    }
    const ei = Math.min(1, Math.max(settings.epsilon, m * floor));
    // A recommended offer keeps 1 - e_i - (the shift to no offer) of the mass; no offer costs 0.
    share[i] = ei + controlShift(ei, m, settings.controlFloor ?? 0);
    if (share[i]! > maxShare) maxShare = share[i]!;
    explorationCost += (ei / m) * sumC;
  }
  const costOf = (rec: ArrayLike<number>): number => {
    let s = explorationCost;
    for (let i = 0; i < n; i++) {
      const a = rec[i]!;
      if (a !== 0) s += (1 - share[i]!) * Math.max(0, c[i * k + a]!);
    }
    return s;
  };
  const feasible = explorationCost <= budget;
  let lo = 0;
  let best = Int32Array.from(input.allocate(0));
  let bestCost = costOf(best);
  if (feasible && maxShare < 1) {
    let hi = (budget - explorationCost) / (1 - maxShare);
    const atHi = Int32Array.from(input.allocate(hi));
    const hiCost = costOf(atHi);
    if (hiCost <= budget) {
      best = atHi;
      bestCost = hiCost;
      lo = hi;
    } else {
      for (let it = 0; it < (input.iterations ?? 30); it++) {
        const mid = (lo + hi) / 2;
        const rec = Int32Array.from(input.allocate(mid));
        const cost = costOf(rec);
        if (cost <= budget) {
          lo = mid;
          best = rec;
          bestCost = cost;
        } else hi = mid;
      }
    }
  }
  const probabilities = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    explorationDistribution(best[i]!, elig.subarray(o, o + k), settings, probabilities.subarray(o, o + k));
  }
  return {
    handedBudget: lo,
    recommended: best,
    probabilities,
    expectedCost: bestCost,
    explorationCost,
    feasible,
  };
}
