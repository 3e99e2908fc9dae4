import { CiaError } from "@cia/core";
import { type AllocationOptions, constraintCoefficient, normalizeProblem } from "./allocation-options.js";
import type { Candidates } from "./candidates.js";
import { type LpModel, solveLp } from "./lp-solver.js";
import { PRUNE_STATUS, pruneNormalized } from "./prune-candidates.js";
import type { OptimizerErrorCode } from "./error-codes.js";

/** Options of {@link solveExact}. */
export interface ExactOptions {
  /** Solve the LP relaxation (0 <= S <= 1) instead of the binary program. */
  relaxation?: boolean | undefined;
  /** Branch-and-bound time limit in ms (default 60,000). javascript-lp-solver checks it between nodes only. */
  timeoutMs?: number | undefined;
  /** Refuse problems with more candidate variables than this (default 5,000). */
  maxVariables?: number | undefined;
}

/** Result of {@link solveExact}. */
export interface ExactResult {
  /** "optimal": proven; "not_proven": stopped by the timeout (value is the best found or the relaxation); "infeasible" */
  status: "optimal" | "not_proven" | "infeasible";
  /** objective value (sum of allocated value) as javascript-lp-solver reports it (rounded to 1e-9) */
  value: number;
  /** per unit, the action with S = 1 (0 = none); for a relaxation, the action with the largest share */
  action: Int32Array;
  /** per candidate row, the solver's S (0 for rows outside the problem) */
  share: Float64Array;
  variables: number;
  elapsedMs: number;
}

/**
 * The same allocation problem as {@link allocate}, solved as an exact MILP (or its LP relaxation)
 * with javascript-lp-solver: one binary S_ua per allowed (unit, action), sum_a S_ua <= 1 per unit,
 * the budget and every cap as rows. Rows pruned by a rule that defines the problem (ineligible,
 * tau_value <= 0, cost per value cap, efficiency floor) are left out; merely dominated ones stay in.
 * Meant for small and cohort-level problems (up to a few hundred units) and as the test oracle:
 * it took 65 ms at 100 units x 3 actions, 7 s at 500, ~100 s at 1,000 on the project's machine.
 *
 * @example
 * const exact = solveExact(candidates, { budget: 100 }, { timeoutMs: 10_000 });
 * if (exact.status === "optimal") console.log(exact.value);
 */
export function solveExact(
  candidates: Candidates,
  options: AllocationOptions = {},
  exact: ExactOptions = {},
): ExactResult {
  const problem = normalizeProblem(candidates, options);
  const prune = pruneNormalized(candidates, problem);
  const allowDominated = problem.floor === undefined;
  const rows: number[] = [];
  for (let i = 0; i < prune.status.length; i++) {
    const s = prune.status[i]!;
    if (
      s === PRUNE_STATUS.kept ||
      (allowDominated && (s === PRUNE_STATUS.dominated || s === PRUNE_STATUS.lp_dominated))
    ) {
      rows.push(i);
    }
  }
  const maxVariables = exact.maxVariables ?? 5000;
  if (rows.length > maxVariables) {
    throw new CiaError<OptimizerErrorCode>(
      "problem_too_large",
      `the exact MILP has ${rows.length} variables (limit ${maxVariables}); use allocate() at this size`,
      { variables: rows.length },
    );
  }
  const model: LpModel = { optimize: "obj", opType: "max", constraints: {}, variables: {} };
  const ints: Record<string, 1> = {};
  for (const [r, k] of problem.constraints.entries()) model.constraints[`k${r}`] = { max: k.cap };
  for (const i of rows) {
    const u = candidates.unit[i]!;
    model.constraints[`u${u}`] = { max: 1 };
    const vars: Record<string, number> = { obj: problem.value[i]!, [`u${u}`]: 1 };
    for (const [r, k] of problem.constraints.entries()) {
      const a = constraintCoefficient(candidates, k, i);
      if (a !== 0) vars[`k${r}`] = a;
    }
    model.variables[`x${i}`] = vars;
    if (!exact.relaxation) ints[`x${i}`] = 1;
  }
  if (!exact.relaxation && rows.length > 0) model.ints = ints;
  const timeoutMs = exact.timeoutMs ?? 60_000;
  const out = solveLp(model, exact.relaxation ? {} : { timeoutMs });
  const n = candidates.nUnits;
  const action = new Int32Array(n);
  const share = new Float64Array(candidates.unit.length);
  const best = new Float64Array(n);
  for (const i of rows) {
    const x = out.values[`x${i}`] ?? 0;
    share[i] = x;
    const u = candidates.unit[i]!;
    if (x > best[u]! + 1e-12) {
      best[u] = x;
      action[u] = candidates.action[i]!;
    }
  }
  if (!exact.relaxation) for (let u = 0; u < n; u++) if (best[u]! < 0.5) action[u] = 0;
  const status = !out.feasible ? "infeasible" : out.timedOut ? "not_proven" : "optimal";
  return {
    status,
    value: rows.length === 0 ? 0 : out.result,
    action,
    share,
    variables: rows.length,
    elapsedMs: out.elapsedMs,
  };
}
