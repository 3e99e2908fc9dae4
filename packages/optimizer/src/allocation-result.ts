import type { PruneCounts } from "./prune-candidates.js";

/** Totals of an allocation, named like the `cia allocate` summary (plus a few more). */
export interface AllocationTotals {
  units: number;
  /** units given an action other than no offer */
  treated: number;
  /** total predicted incremental cost: sum of tau_cost over the assignment (compare with `budget`) */
  spend: number;
  /** sum of tau_value over the assignment */
  value: number;
  /** the total budget over all units, as given (Infinity when none) */
  budget: number;
  /**
   * The budget's shadow price: value per unit of cost at the margin (the slope where the budget
   * binds, or the efficiency floor R if that is higher; 0 when neither binds). The NPV score
   * tau_value - lambda * tau_cost is what {@link allocateWithLambda} and the pacer use.
   */
  lambda: number;
  /** sum of the allocated value: tau_value, or its lower bound in risk-aware mode */
  objective: number;
  /** proven upper bound on the best achievable objective under the same constraints */
  upper_bound: number;
  /** upper_bound - objective (>= 0): how far from optimal the allocation can be */
  gap: number;
  /** gap / upper_bound (0 when the bound is 0) */
  relative_gap: number;
}

/** One constraint of the problem, its usage by the allocation and its multiplier. */
export interface ConstraintReport {
  name: string;
  kind: "cost" | "count";
  cap: number;
  used: number;
  /** dual price (value per unit of the resource); 0 when slack */
  multiplier: number;
}

/** The LP relaxation's fractional unit (single-constraint method only). */
export interface FractionalReport {
  unit: number;
  /** action the unit leaves (0 = no offer) */
  from_action: number;
  /** action it moves towards */
  to_action: number;
  /** share of the move in the LP optimum, in (0, 1) */
  fraction: number;
}

/** How the bound was obtained. */
export interface CertificateReport {
  /**
   * "unconstrained" (no finite limit: every unit takes its best option, exact), "hull_greedy" (one
   * constraint: exact LP by hull increments), "lagrangian" (several: dual bound), "fixed_lambda"
   * (allocateWithLambda: exact for the budget it spends).
   */
  method: "unconstrained" | "hull_greedy" | "lagrangian" | "fixed_lambda";
  /** LP relaxation's fractional units (hull_greedy: at most one) */
  fractional: FractionalReport[];
  /** lagrangian: cutting-plane iterations, and whether the dual was minimized to tolerance */
  iterations: number;
  converged: boolean;
  /** lagrangian: lower bound on the dual minimum, so the LP optimum lies in [dual_lower_bound, upper_bound] */
  dual_lower_bound: number;
  /** the gap allowed by theory: m constraints -> at most m units' largest single value */
  gap_limit: number;
  /**
   * How the integral allocation was obtained: "exact" (no finite limit, or a fixed lambda),
   * "greedy" (hull skip-and-fill with one limit, the repaired and filled Lagrangian choice with
   * several), "single_item" (the best single option that fits, with every other unit at its free
   * or cost-saving start, was worth more than the greedy answer: the classic greedy trap).
   */
  rounding: "exact" | "greedy" | "single_item";
}

/**
 * An allocation: one action per unit (0 = no offer, the contract's control arm), the candidate row
 * behind it (-1 = no offer), totals, the constraint report, prune counts and the certificate.
 */
export interface AllocationResult {
  /** per unit: action code, 0 = no offer */
  action: Int32Array;
  /** per unit: candidate row index, -1 = no offer */
  candidate: Int32Array;
  totals: AllocationTotals;
  constraints: ConstraintReport[];
  prune: PruneCounts;
  certificate: CertificateReport;
}
