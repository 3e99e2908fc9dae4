/**
 * Every `code` of a `CiaError` that @cia/simulator throws (`CiaError<SimulatorErrorCode>`).
 *
 * @example
 * try { createWorld(name) } catch (e) { if (CiaError.isInstance(e) && e.code === "unknown_world") ... }
 */
export type SimulatorErrorCode =
  /** An argument outside its domain (n, period, k, design weights, epsilon, a NaN budget). */
  | "invalid_option"
  /** Arrays of the wrong size for the population or world (policy not n x K, a log of another population, effects not n x K). */
  | "shape_mismatch"
  /** A world name that is not a preset. */
  | "unknown_world"
  /** World parameters that break the unit model's assumptions (actions, windows, rates). */
  | "invalid_world_params"
  /** A population not sampled for this world (other feature columns, no concurrent assignments where needed). */
  | "invalid_population"
  /** An action index outside the world's actions. */
  | "invalid_action"
  /** Action probabilities of a unit outside [0, 1] or not summing to 1. */
  | "invalid_policy"
  /** An effect that is not finite, given to the oracle allocation. */
  | "not_finite"
  /** A budget below the cheapest allocation's cost (the oracle cannot meet it). */
  | "infeasible_budget";
