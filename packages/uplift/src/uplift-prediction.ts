/**
 * Effects of every (unit, action), n x K row-major, column 0 (no-offer) zero.
 *
 * @example
 * const tv = prediction.tauValue[i * prediction.nActions + a];
 */
export interface UpliftPrediction {
  n: number;
  nActions: number;
  /** tau_value(x_i, a): the mean over bootstrap members when there are several. */
  tauValue: Float64Array;
  /** tau_cost(x_i, a), or null for a value-only model. */
  tauCost: Float64Array | null;
  /** tau_value / tau_cost with the zero conventions of `cpiv`; null without a cost head. */
  cpiv: Float64Array | null;
  /** tau_cost / tau_value with the zero conventions of `cpi`; null without a cost head. */
  cpi: Float64Array | null;
  /** Per-unit percentile intervals over bootstrap members (null with fewer than 2 members). */
  intervals: {
    level: number;
    tauValueLower: Float64Array;
    tauValueUpper: Float64Array;
    tauCostLower: Float64Array | null;
    tauCostUpper: Float64Array | null;
  } | null;
  /** Each member's predictions, when requested (`members: true`). */
  members?: { tauValue: Float64Array[]; tauCost: Float64Array[] | null } | undefined;
}
