import { performance } from "node:perf_hooks";

/** How to time one benchmark case. */
export interface MeasureOptions {
  /** Untimed runs before measuring (JIT warm-up). Default 1. */
  warmup?: number;
  /** Timed runs. Default 5. */
  runs?: number;
}

/** Timings of one case in milliseconds. */
export interface Measurement {
  median_ms: number;
  min_ms: number;
  max_ms: number;
  runs: number;
  samples_ms: number[];
}

/**
 * Time `fn` with warm-up and repeated runs; the median is the headline because this machine is
 * shared and noisy (min and max are kept to show the spread).
 *
 * @example
 * const m = await measure(() => sum(x), { warmup: 2, runs: 9 });
 * console.log(m.median_ms);
 */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Measurement> {
  const warmup = options.warmup ?? 1;
  const runs = options.runs ?? 5;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    median_ms: median,
    min_ms: sorted[0]!,
    max_ms: sorted[sorted.length - 1]!,
    runs,
    samples_ms: samples,
  };
}
