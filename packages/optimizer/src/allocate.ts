import { CiaError } from "@cia/core";
import { type AllocationOptions, constraintCoefficient, normalizeProblem } from "./allocation-options.js";
import type { AllocationResult, CertificateReport, ConstraintReport } from "./allocation-result.js";
import type { Candidates } from "./candidates.js";
import { PRUNE_STATUS, type PruneResult, pruneNormalized } from "./prune-candidates.js";
import { solveLagrangian } from "./solve-lagrangian.js";
import { type Increments, type SingleItem, solveSingleConstraint } from "./solve-single-constraint.js";
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
 *   at most one fractional unit — then skip-and-fill for the integral allocation, and the better of
 *   that and the best single option that fits. Gap <= one unit's value.
 * - Several limits: Lagrangian multipliers by cutting planes; the smallest dual value is the bound;
 *   the rounding of the multipliers' choice, or the best single option that fits alone if better.
 *
 * Cost-saving options (tau_value > 0, tau_cost <= 0) are taken before any budget is spent, and
 * their savings widen the budget; only a volume or channel/action cap can keep them out.
 *
 * The one-limit algorithm exactly (a = the option's coefficient in the limit, v its value or lower
 * bound; eps = Number.EPSILON; replicated by the warehouse's SQL allocator):
 * 1. Hull. Per unit, the kept rows by (a asc, v desc, tau_cost asc, action asc, row asc) plus the
 *    origin (no offer) placed before the first row with a > 0. Walking left to right, a point is skipped when its v is
 *    <= the last vertex's v or its a equals the last vertex's a; otherwise, while two vertices p, b
 *    precede the new point i, b is popped iff cross > 4 eps scale, with
 *    cross = (a_b - a_p)(v_i - v_p) - (v_b - v_p)(a_i - a_p) and scale = (|a_b| + |a_p|)|v_i - v_p|
 *    + (|v_i| + |v_p|)|a_b - a_p| + (|v_b| + |v_p|)|a_i - a_p| + (|a_i| + |a_p|)|v_b - v_p|
 *    (near-collinear points stay: finer integral steps). The first vertex is the unit's start
 *    (the origin, or a free / cost-saving option).
 * 2. Steps. Consecutive vertices give steps k = 1, 2, ... with da, dv and the slope
 *    s_k = min(dv / da, s_(k-1)), s_0 = +Infinity: clamped so that a rounding step can never make
 *    a later step of a unit steeper than an earlier one (costs like k/3 on value = 3 x cost give
 *    3.0000000000000004 after 3).
 * 3. Order key: s desc, then unit asc, then k asc. Because slopes are non-increasing within a unit,
 *    every unit's steps come in hull order.
 * 4. Room: capTol = cap + 8 eps (|cap| + |startSpend|), startSpend = the sum of the start vertices' a.
 *    The LP takes steps in key order while the running sum of da stays <= capTol - startSpend; the
 *    first step that does not fit is the break: upper_bound = start value + taken dv + f dv_break,
 *    f = min(1, max(0, cap - spent) / da_break), and the multiplier is s_break. If any slope was
 *    clamped, upper_bound = max(that, mu cap + sum_u max(0, max_i v_i - mu a_i)), mu = s_break
 *    (the Lagrangian dual, valid whatever the order).
 * 5. Greedy: the taken steps, then the later steps in key order, each taken iff the unit's previous
 *    step was taken (or it is the unit's first) and spent + da <= capTol (spent: a compensated sum).
 * 6. Single item (only when there is a break): over the kept rows, plus the LP-dominated rows when
 *    no efficiency floor is set, the row i of unit u with the largest gain v_i - v_start(u) > 0 among
 *    those with a_i - a_start(u) <= capTol - startSpend; ties: lower unit, lower a, lower action,
 *    lower row. Its allocation: every unit at its start vertex, u at row i.
 * 7. Answer: the single item's allocation iff its objective (compensated sum of v) exceeds the
 *    greedy's by more than 1e-12 max(1, |greedy objective|); else the greedy
 *    (`certificate.rounding` says which). Both are monotone in the cap, so the answer is too.
 * With several limits the single item is the most valuable allowed row whose coefficients are each
 * <= its cap alone (ties: lower unit, lower tau_cost, lower action, lower row), used iff it beats
 * the repaired and filled Lagrangian choice by the same margin.
 * Ties elsewhere: equal options by lower cost, then lower action code.
 *
 * @example
 * const c = createCandidates({ nUnits: 3, unit: [0, 1, 2], action: [1, 1, 1],
 *   tauValue: [3, 2, 1], tauCost: [1, 1, 1] });
 * const r = allocate(c, { budget: 2 });
 * r.action; // Int32Array [1, 1, 0]; r.totals.value === 5; r.totals.upper_bound === 5
 */
export function allocate(candidates: Candidates, options: AllocationOptions = {}): AllocationResult {
  return allocatePrepared(candidates, options);
}

/**
 * Per-unit work done ahead of {@link allocatePrepared} (by `AllocationStream`, unit chunk by unit
 * chunk): the prune of the whole problem, and, for a budget-only problem, its hull increments.
 * Each must equal what `pruneNormalized` and `buildIncrements` give on the whole candidates.
 */
export interface PreparedUnits {
  prune: PruneResult;
  /** Only for a problem whose one constraint is the total budget (increments on tau_cost). */
  increments?: Increments | undefined;
}

/**
 * {@link allocate}, with the per-unit work `prepared` (computed for the same candidates and
 * options) taken as given instead of computed here. Internal to the package.
 */
export function allocatePrepared(
  candidates: Candidates,
  options: AllocationOptions,
  prepared?: PreparedUnits,
): AllocationResult {
  const problem = normalizeProblem(candidates, options);
  const prune = prepared?.prune ?? pruneNormalized(candidates, problem);
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
    rounding: "exact",
  };
  let single: SingleItem | undefined;
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
    const allowed = singleItemAllowed(prune, problem.floor);
    let a: Float64Array;
    const sortedByA = k.kind === "cost" && k.scope === "all";
    if (sortedByA) {
      a = candidates.tauCost;
    } else {
      a = new Float64Array(candidates.unit.length);
      for (let i = 0; i < a.length; i++) if (allowed(i)) a[i] = constraintCoefficient(candidates, k, i);
    }
    const sol = solveSingleConstraint(
      n,
      prune,
      a,
      v,
      k.cap,
      sortedByA,
      { allowed, unit: candidates.unit, action: candidates.action },
      sortedByA ? prepared?.increments : undefined,
    );
    choice = sol.choice;
    upper = sol.lpValue;
    multipliers[0] = sol.multiplier;
    certificate.method = "hull_greedy";
    certificate.rounding = "greedy";
    single = sol.single;
    certificate.fractional = sol.fractional.map((f) => ({
      unit: f.unit,
      from_action: f.fromRow < 0 ? 0 : candidates.action[f.fromRow]!,
      to_action: candidates.action[f.toRow]!,
      fraction: f.fraction,
    }));
  } else {
    const sol = solveLagrangian(candidates, prune, v, constraints, singleItemAllowed(prune, problem.floor), {
      maxIterations: options.dual?.maxIterations ?? 200,
      tolerance: options.dual?.tolerance ?? 1e-10,
      activeSetMinOptions: options.dual?.activeSetMinOptions ?? 20_000,
    });
    choice = sol.choice;
    upper = sol.upperBound;
    multipliers.set(sol.multipliers);
    certificate.method = "lagrangian";
    certificate.rounding = sol.singleItem ? "single_item" : "greedy";
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
  const finish = (ch: Int32Array) =>
    finishAllocation(candidates, v, ch, {
      budget: problem.budget,
      lambda,
      upperBound: upper,
      constraints,
      reports: reports.map((rep) => ({ ...rep })),
      prune: prune.counts,
      certificate,
    });
  let result = finish(choice);
  // The greedy trap: the best single option that fits (every other unit at its start vertex)
  // replaces the greedy answer when it is worth more by over 1e-12 relative (ties keep the greedy).
  if (single !== undefined) {
    const g = result.totals.objective;
    const margin = 1e-12 * Math.max(1, Math.abs(g));
    if (single.value > g - 1e6 * margin) {
      const alt = finish(single.choice);
      if (alt.totals.objective > g + margin) {
        result = alt;
        certificate.rounding = "single_item";
      }
    }
  }
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

/**
 * Whether the single-item rule may pick candidate row i: a kept row or, without an efficiency
 * floor, an LP-dominated one (the problem the exact MILP solves has them too; under a floor it
 * does not). An option under the hull can still be the best one that fits alone.
 */
function singleItemAllowed(prune: PruneResult, floor: number | undefined): (i: number) => boolean {
  const { status } = prune;
  const withLp = floor === undefined;
  return (i) => {
    const st = status[i]!;
    return st === PRUNE_STATUS.kept || (withLp && st === PRUNE_STATUS.lp_dominated);
  };
}
