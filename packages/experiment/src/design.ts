/**
 * Per-unit inputs a design may read. `n` units; `stratum[i]` is a stratum code (e.g. the
 * simulator's lifecycle 0 new, 1 active, 2 dormant); `score` is a prior score per (unit, action),
 * n x K row-major (e.g. score_a(x) = predicted value lift - lambda * predicted credit).
 */
export interface DesignContext {
  readonly n: number;
  readonly stratum?: ArrayLike<number> | undefined;
  readonly score?: ArrayLike<number> | undefined;
}

/** The design kinds this package builds (a subset of the Decision record's `design` field). */
export type DesignKind = "uniform" | "stratified" | "warm_start";

/** A serializable description of a design (what `toJSON` returns and `designFromJSON` reads). */
export type DesignJson =
  | { kind: "uniform"; actions: string[] }
  | { kind: "stratified"; actions: string[]; strata: string[]; probabilities: Record<string, number[]> }
  | { kind: "warm_start"; actions: string[]; temperature: number; epsilon: number };

/**
 * An assignment design: gives every unit an action distribution over `actions` (index 0 is the
 * no-offer arm). Immutable; configuration is validated when the design is built.
 */
export interface Design {
  readonly kind: DesignKind;
  readonly actions: readonly string[];
  /** Write every unit's action distribution into `out` (n x K row-major) and return it. */
  probabilities(context: DesignContext, out?: Float64Array): Float64Array;
  /** The smallest probability any action can get under this design (the support floor). */
  readonly minProbability: number;
  toJSON(): DesignJson;
}
