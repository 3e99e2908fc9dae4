import { CiaError } from "@cia/core";
import { type AllocationOptions, constraintCoefficient, normalizeProblem } from "./allocation-options.js";
import type { AllocationResult, CertificateReport, ConstraintReport } from "./allocation-result.js";
import type { Candidates } from "./candidates.js";
import { pruneNormalized } from "./prune-candidates.js";
import { solveLagrangian } from "./solve-lagrangian.js";
import { solveSingleConstraint } from "./solve-single-constraint.js";
import { finishAllocation } from "./finish-allocation.js";
import type { OptimizerErrorCode } from "./error-codes.js";

/**
 * Allocate at most one action per unit (no offer included) to maximize the sum of incremental
 * value under a budget and guardrails, with a proven upper bound on the optimum:
 *
 * max sum_{u,a} S_ua v_ua  s.t.  sum S_ua tau^c_ua <= B, guardrails, sum_a S_ua <= 1, S binary.
 *
 * - Pruning (counted): ineligible, tau_value <= 0, cost per value above `maxCostPerValue`, dominated
 *   options, LP-dominated options, options past the marginal efficiency floor `minValuePerCost`.
 * - No finite limit: every unit takes its most valuable surviving option (exact).
 * - One limit (the budget, the volume cap, or one channel/action cap): each unit's upper concave hull
 *   and a greedy pass over hull increments by decreasing value per cost — the exact LP optimum with
 *   at most one fractional unit — then skip-and-fill for the integral allocation. Gap <= one unit.
 * - Several limits: Lagrangian multipliers by cutting planes; the smallest dual value is the bound.
 *
 * Cost-saving options (tau_value > 0, tau_cost <= 0) are taken before any budget is spent, and
 * their savings widen the budget; only a volume or channel/action cap can keep them out.
 * Ties are broken deterministically: equal slopes by lower unit index, equal options by lower cost.
 *
 * @example
 * const c = createCandidates({ nUnits: 3, unit: [0, 1, 2], action: [1, 1, 1],
 *   tauValue: [3, 2, 1], tauCost: [1, 1, 1] });
 * const r = allocate(c, { budget: 2 });
 * r.action; // Int32Array [1, 1, 0]; r.totals.value === 5; r.totals.upper_bound === 5
 */
export function allocate(candidates: Candidates, options: AllocationOptions = {}): AllocationResult {
  const problem = normalizeProblem(candidates, options);
  const prune = pruneNormalized(candidates, problem);
  const { constraints } = problem;
  const m = constraints.length;
  const n = candidates.nUnits;
  const v = problem.value;
  const multipliers = new Float64Array(m);
  let choice: Int32Array;
  let upper: number;
  const certificate: CertificateReport = {
    method: "unconstrained",
    fractional: [],
    iterations: 0,
    converged: true,
    dual_lower_bound: 0,
    gap_limit: 0,
  };
  if (m === 0) {
    choice = new Int32Array(n).fill(-1);
    const { keptStart, kept } = prune;
    for (let u = 0; u < n; u++) {
      let best = -1;
      for (let p = keptStart[u]!; p < keptStart[u + 1]!; p++) {
        const i = kept[p]!;
        if (best < 0 || v[i]! > v[best]!) best = i;
      }
      choice[u] = best;
    }
    upper = Number.NaN; // set from the objective below: the allocation is optimal
  } else if (m === 1) {
    const k = constraints[0]!;
    let a: Float64Array;
    const sortedByA = k.kind === "cost" && k.scope === "all";
    if (sortedByA) {
      a = candidates.tauCost;
    } else {
      a = new Float64Array(candidates.unit.length);
      for (let p = 0; p < prune.kept.length; p++) {
        const i = prune.kept[p]!;
        a[i] = constraintCoefficient(candidates, k, i);
      }
    }
    const sol = solveSingleConstraint(n, prune, a, v, k.cap, sortedByA);
    choice = sol.choice;
    upper = sol.lpValue;
    multipliers[0] = sol.multiplier;
    certificate.method = "hull_greedy";
    certificate.fractional = sol.fractional.map((f) => ({
      unit: f.unit,
      from_action: f.fromRow < 0 ? 0 : candidates.action[f.fromRow]!,
      to_action: candidates.action[f.toRow]!,
      fraction: f.fraction,
    }));
  } else {
    const sol = solveLagrangian(candidates, prune, v, constraints, {
      maxIterations: options.dual?.maxIterations ?? 200,
      tolerance: options.dual?.tolerance ?? 1e-10,
      activeSetMinOptions: options.dual?.activeSetMinOptions ?? 20_000,
    });
    choice = sol.choice;
    upper = sol.upperBound;
    multipliers.set(sol.multipliers);
    certificate.method = "lagrangian";
    certificate.iterations = sol.iterations;
    certificate.converged = sol.converged;
    certificate.dual_lower_bound = sol.dualLowerBound;
  }
  if (certificate.method !== "lagrangian") certificate.dual_lower_bound = upper;
  // Largest single-unit value among kept options: the LP has at most m fractional units.
  let vmax = 0;
  for (let p = 0; p < prune.kept.length; p++) vmax = Math.max(vmax, v[prune.kept[p]!]!);
  certificate.gap_limit = m * vmax;
  const reports: ConstraintReport[] = constraints.map((k, r) => ({
    name: k.name,
    kind: k.kind,
    cap: k.cap,
    used: 0,
    multiplier: multipliers[r]!,
  }));
  const budgetIndex = constraints.findIndex((k) => k.name === "budget");
  const lambda = Math.max(budgetIndex >= 0 ? multipliers[budgetIndex]! : 0, problem.floor ?? 0);
  const result = finishAllocation(candidates, v, choice, {
    budget: problem.budget,
    lambda,
    upperBound: upper,
    constraints,
    reports,
    prune: prune.counts,
    certificate,
  });
  for (const rep of result.constraints) {
    if (rep.used > rep.cap * (1 + 1e-12) + 1e-9) {
      throw new CiaError<OptimizerErrorCode>(
        "internal_error",
        `allocation exceeds ${rep.name} (${rep.used} > ${rep.cap})`,
        {
          ...rep,
        },
      );
    }
  }
  return result;
}
