import type { BootstrapScheme } from "./bootstrap-sums.js";
import type { IntervalOptions, IntervalSettings } from "./evaluate-policy-types.js";

/** Interval options with their defaults applied. */
export interface ResolvedInterval {
  readonly method: "bootstrap" | "normal";
  readonly level: number;
  readonly resamples: number;
  readonly scheme: BootstrapScheme;
  /** Seed of the resamples: `String(seed ?? 0)`, or the stream `rng.split("ope-bootstrap")`. */
  readonly seed: string;
  /** What the evaluation reports: the bootstrap's settings, or only method and level. */
  readonly report: IntervalSettings;
}

/**
 * Apply the defaults of {@link IntervalOptions}: a 95% percentile bootstrap of 1000 multinomial
 * resamples seeded with 0. Throws `RangeError` for a level outside (0, 1).
 *
 * @example
 * resolveInterval({ method: "normal" }); // { method: "normal", level: 0.95, ... }
 */
export function resolveInterval(options: IntervalOptions = {}): ResolvedInterval {
  const method = options.method ?? "bootstrap";
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`interval level must be in (0, 1), got ${level}`);
  const seed = options.rng ? options.rng.split("ope-bootstrap").seed : String(options.seed ?? 0);
  const resamples = options.resamples ?? 1000;
  const scheme = options.scheme ?? "multinomial";
  const report: IntervalSettings =
    method === "bootstrap" ? { method, level, resamples, scheme, seed } : { method, level };
  return { method, level, resamples, scheme, seed, report };
}
