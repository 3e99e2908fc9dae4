/**
 * Upper bounds of every count flag and config key (units, bootstrap resamples, periods, rows
 * sampled...). Past these a run would not end in any useful time or would not fit in memory (a
 * typed array of 10^12 units), so the CLI refuses them with exit 2 naming the flag or key and the
 * bound, instead of hanging or failing inside an allocation. Documented in docs/cli.md.
 *
 * @example
 * numberFlag("--units", { min: 1, integer: true, max: LIMITS.units });
 */
export const LIMITS = {
  /** Simulated units (`simulate`, `run`, `loop --units/--pilot-units`). */
  units: 10_000_000,
  /** Bootstrap resamples of the uplift model (`train`/`run --bootstraps`, config `model.bootstraps`). */
  modelBootstraps: 200,
  /** Bootstrap resamples of OPE intervals (`evaluate --bootstraps`, `run --ope-bootstraps`, config `opeBootstraps`). */
  opeBootstraps: 20_000,
  /** Periods of `cia loop`. */
  periods: 1_000,
  /** Rows sampled (`run --sample`, config `data.sample`). */
  sample: 100_000_000,
  /** Quantile bins of `diagnose`. */
  bins: 1_000,
  /** Days of a pacing period. */
  days: 3_660,
  /** Largest batch of `serve` POST /decide. */
  maxBatch: 100_000,
} as const;
