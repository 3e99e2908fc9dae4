// The one file of this package that touches javascript-lp-solver (the version @cia/optimizer pins).
// Its bundled types do not describe the default export under NodeNext, so it is cast once here.
import lp from "javascript-lp-solver";
import { CiaError } from "@cia/core";
import type { WarehouseErrorCode } from "./error-codes.js";

/** A pure LP in javascript-lp-solver's JSON format (the subset the Lagrangian's master uses). */
export interface MasterLpModel {
  optimize: string;
  opType: "max" | "min";
  constraints: Record<string, { max?: number; min?: number }>;
  variables: Record<string, Record<string, number>>;
}

/** Outcome of one master solve. */
export interface MasterLpOutcome {
  feasible: boolean;
  /** objective value as the solver reports it */
  result: number;
  /** variable values (absent variables are 0) */
  values: Record<string, number>;
}

interface SolverLike {
  Solve(model: unknown, precision?: number): Record<string, unknown>;
}

const solver: SolverLike = ((lp as unknown as { default?: SolverLike }).default ??
  lp) as unknown as SolverLike;

/**
 * Solve the Lagrangian's small master LP with the solver and call of @cia/optimizer's
 * `solveLp` (same library version, same model, same precision), so that the SQL Lagrangian and
 * the in-process one take the same multipliers at every iteration.
 *
 * @example
 * const r = solveMasterLp({ optimize: "v", opType: "max", constraints: { b: { max: 1 } },
 *   variables: { x: { v: 2, b: 1 } } }, 1e-11);
 * r.result; // 2
 */
export function solveMasterLp(model: MasterLpModel, precision: number): MasterLpOutcome {
  let raw: Record<string, unknown>;
  try {
    raw = solver.Solve({ ...model }, precision);
  } catch (e) {
    throw new CiaError<WarehouseErrorCode>(
      "engine_error",
      `javascript-lp-solver threw on the Lagrangian master: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === "feasible" || k === "result" || k === "bounded" || k === "isIntegral") continue;
    if (typeof v === "number") values[k] = v;
  }
  return {
    feasible: raw.feasible === true,
    result: typeof raw.result === "number" ? raw.result : Number.NaN,
    values,
  };
}
