import type { IntervalOptions, IntervalScheme, IntervalSettings } from "./evaluate-policy-types.js";

/** Bags of the "bagged" scheme unless set: fewer when there are fewer rows. */
export const DEFAULT_BAGS = 10_000;

/** Interval options with their defaults applied. */
export interface ResolvedInterval {
  readonly method: "bootstrap" | "normal";
  readonly level: number;
  readonly resamples: number;
  readonly scheme: IntervalScheme;
  /** "bagged" only: the number of bags. */
  readonly bags: number;
  /** Seed of the resamples: `String(seed ?? 0)`, or the stream `rng.split("ope-bootstrap")`. */
  readonly seed: string;
  /** What the evaluation reports: the bootstrap's settings, or only method and level. */
  readonly report: IntervalSettings;
}

/**
 * Apply the defaults of {@link IntervalOptions}: a 95% percentile bootstrap of 1000 multinomial
 * resamples seeded with 0 ("bagged": {@link DEFAULT_BAGS} bags, at most one per row of the `n`).
 * Throws `RangeError` for a level outside (0, 1).
 *
 * @example
 * resolveInterval({ method: "normal" }); // { method: "normal", level: 0.95, ... }
 */
export function resolveInterval(
  options: IntervalOptions = {},
  n = Number.POSITIVE_INFINITY,
): ResolvedInterval {
  const method = options.method ?? "bootstrap";
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`interval level must be in (0, 1), got ${level}`);
  const seed = options.rng ? options.rng.split("ope-bootstrap").seed : String(options.seed ?? 0);
  const resamples = options.resamples ?? 1000;
  const scheme = options.scheme ?? "multinomial";
  const bags = Math.max(1, Math.min(options.bags ?? DEFAULT_BAGS, n));
  if (!Number.isInteger(bags)) throw new RangeError(`bags must be a positive integer, got ${options.bags}`);
  const report: IntervalSettings =
    method !== "bootstrap"
      ? { method, level }
      : scheme === "bagged"
        ? { method, level, resamples, scheme, seed, bags }
        : { method, level, resamples, scheme, seed };
  return { method, level, resamples, scheme, bags, seed, report };
}
