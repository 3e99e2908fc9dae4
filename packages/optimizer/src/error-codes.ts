/**
 * Every `code` of a `CiaError` that @cia/optimizer throws (`CiaError<OptimizerErrorCode>`).
 * `safeCreateCandidates` reports the same codes as `DataIssue`s.
 *
 * @example
 * try { allocate(candidates, { budget }) } catch (e) { if (CiaError.isInstance(e) && e.code === "non_finite_score") ... }
 */
export type OptimizerErrorCode =
  /**
   * An option or argument outside its domain: a negative or NaN budget or cap, a bad cap key, a
   * risk mode without its column, a negative lambda or standard error, a bad nUnits / nActions
   * (was `invalid_argument`).
   */
  | "invalid_option"
  /** Candidate columns or n x K matrices of the wrong length. */
  | "shape_mismatch"
  /** A candidate's unit outside 0..nUnits-1 or not an integer. */
  | "invalid_unit"
  /** A candidate's action code below 1 or not an integer (0 is the no-offer arm, never a candidate). */
  | "invalid_action"
  /** A candidate's channel code that is negative or not an integer. */
  | "invalid_channel"
  /** An eligible candidate's score (tau_value, tau_cost, its lower bound or se) is NaN or infinite. */
  | "non_finite_score"
  /** `solveExact` was asked for a MILP with more variables than its limit (`maxVariables`, default 5000). */
  | "problem_too_large"
  /** javascript-lp-solver, behind `solveExact`, threw. */
  | "lp_solver_failed"
  /** A bug in the optimizer: an allocation broke one of its own constraints. */
  | "internal_error";
