// The one file that touches javascript-lp-solver. Its bundled types do not describe the default
// export correctly under NodeNext (toolchain.md pitfall 6), so it is cast once here.
import lp from "javascript-lp-solver";
import { CiaError } from "@cia/core";
import type { OptimizerErrorCode } from "./error-codes.js";

/** A model in javascript-lp-solver's JSON format (the subset this package uses). */
export interface LpModel {
  optimize: string;
  opType: "max" | "min";
  constraints: Record<string, { max?: number; min?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
  ints?: Record<string, 1>;
}

/** Outcome of one solve, with the integrality and timeout facts checked. */
export interface LpOutcome {
  feasible: boolean;
  bounded: boolean;
  /** objective value as reported (javascript-lp-solver rounds it to its precision, 1e-9 here) */
  result: number;
  /** variable values (absent variables are 0) */
  values: Record<string, number>;
  /** true when every integer variable came back integral (always true for a pure LP) */
  integral: boolean;
  /** integer model stopped by the timeout (fractional answer, or time ran out): optimality not proven */
  timedOut: boolean;
  elapsedMs: number;
}

interface SolverLike {
  Solve(model: unknown, precision?: number, full?: boolean, validate?: boolean): Record<string, unknown>;
}

const solver: SolverLike = ((lp as unknown as { default?: SolverLike }).default ??
  lp) as unknown as SolverLike;

/**
 * Solve an LP or MILP with javascript-lp-solver. For integer models pass `timeoutMs`: the library
 * checks it only between branch-and-bound nodes and may then return the fractional relaxation
 * with `feasible: true`, so `integral` is read from `isIntegral === true`, never assumed.
 *
 * @example
 * const r = solveLp({ optimize: "v", opType: "max", constraints: { b: { max: 1 } },
 *   variables: { x: { v: 2, b: 1 } } });
 * r.result; // 2
 */
export function solveLp(model: LpModel, options: { timeoutMs?: number; precision?: number } = {}): LpOutcome {
  const isInteger = model.ints !== undefined && Object.keys(model.ints).length > 0;
  const payload: Record<string, unknown> = { ...model };
  if (options.timeoutMs !== undefined) {
    payload.timeout = options.timeoutMs;
    payload.options = { timeout: options.timeoutMs };
  }
  const t0 = performance.now();
  let raw: Record<string, unknown>;
  try {
    raw = solver.Solve(payload, options.precision ?? 1e-9);
  } catch (e) {
    throw new CiaError<OptimizerErrorCode>(
      "lp_solver_failed",
      `javascript-lp-solver threw: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
  const elapsedMs = performance.now() - t0;
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "feasible" || k === "result" || k === "bounded" || k === "isIntegral") continue;
    if (typeof v === "number") values[k] = v;
  }
  const feasible = raw.feasible === true;
  const integral = !isInteger || raw.isIntegral === true;
  return {
    feasible,
    bounded: raw.bounded !== false,
    result: typeof raw.result === "number" ? raw.result : Number.NaN,
    values,
    integral,
    // An integral incumbent returned at the deadline is not proven optimal either.
    timedOut:
      isInteger &&
      ((feasible && !integral) || (options.timeoutMs !== undefined && elapsedMs >= options.timeoutMs)),
    elapsedMs,
  };
}
