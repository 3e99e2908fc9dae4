import { percentileInterval } from "@cia/core";
import type { Rng } from "@cia/core";
import { sampleSd } from "./bootstrap-mean-interval.js";
import { baggedSums } from "./bagged-bootstrap.js";
import { bootstrapSums } from "./bootstrap-sums.js";
import type { IntervalScheme } from "./evaluate-policy-types.js";
import type { Estimate } from "./types.js";
import { numpyMean } from "@cia/core/parity";
import { otherHead } from "./policy-quantities.js";
import type { Head, HeadRounds, PolicyKey, Quantities } from "./policy-quantities.js";

/**
 * Percentile-bootstrap quantities: every policy, head and quantity is computed on the same
 * resamples (one pass of counts over the rows per resample, or for the "bagged" scheme one pass
 * summing rows per bag and R x B work over the bag sums), so differences and ratios are paired.
 * Point estimates are full-sample means; `se` is the standard deviation of the replicates.
 *
 * @example
 * const q = bootstrapQuantities(rounds, { level: 0.95, resamples: 1000, scheme: "multinomial", rng });
 * q.ratio("target", "control", "value"); // CPIV with its percentile interval
 */
export function bootstrapQuantities(
  rounds: ReadonlyMap<PolicyKey, HeadRounds>,
  options: {
    level: number;
    resamples: number;
    scheme: IntervalScheme;
    rng: Rng;
    /** "bagged" only: each row's bag in [0, bags) and the integer seed of the hashed weights. */
    bagged?: { bagIndex: Int32Array; bags: number; seed: number } | undefined;
  },
): Quantities {
  const columns: Float64Array[] = [];
  const index = new Map<string, number>();
  for (const [p, r] of rounds) {
    index.set(`${p}/value`, columns.push(r.value) - 1);
    if (r.cost) index.set(`${p}/cost`, columns.push(r.cost) - 1);
  }
  const boot =
    options.scheme === "bagged"
      ? bagged(columns, options)
      : bootstrapSums(columns, { resamples: options.resamples, scheme: options.scheme, rng: options.rng });
  const m = boot.m;
  const B = boot.totals.length;
  const replicateMeans = (p: PolicyKey, h: Head): Float64Array => {
    const j = index.get(`${p}/${h}`)!;
    const out = new Float64Array(B);
    for (let b = 0; b < B; b++) out[b] = boot.sums[b * m + j]! / boot.totals[b]!;
    return out;
  };
  const fromReplicates = (estimate: number, reps: Float64Array): Estimate => {
    // A ratio whose denominator hits 0 in some resample has no usable percentile interval.
    if (!reps.every(Number.isFinite))
      return { estimate, lower: Number.NaN, upper: Number.NaN, se: Number.NaN };
    const { lower, upper } = percentileInterval(reps, options.level);
    return { estimate, lower, upper, se: sampleSd(reps) };
  };
  const mean = (p: PolicyKey, h: Head) => numpyMean(rounds.get(p)![h]!);
  const pointDifference = (p: PolicyKey, r: PolicyKey, h: Head) => mean(p, h) - mean(r, h);
  const differenceReplicates = (p: PolicyKey, r: PolicyKey, h: Head): Float64Array => {
    const a = replicateMeans(p, h);
    const b = replicateMeans(r, h);
    for (let i = 0; i < B; i++) a[i]! -= b[i]!;
    return a;
  };
  return {
    mean(p, h) {
      return fromReplicates(mean(p, h), replicateMeans(p, h));
    },
    difference(p, r, h) {
      return fromReplicates(pointDifference(p, r, h), differenceReplicates(p, r, h));
    },
    ratio(p, r, numHead) {
      const denHead = otherHead(numHead);
      const reps = differenceReplicates(p, r, numHead);
      const den = differenceReplicates(p, r, denHead);
      for (let i = 0; i < B; i++) reps[i]! /= den[i]!;
      return fromReplicates(pointDifference(p, r, numHead) / pointDifference(p, r, denHead), reps);
    },
  };
}

function bagged(
  columns: Float64Array[],
  options: { resamples: number; bagged?: { bagIndex: Int32Array; bags: number; seed: number } | undefined },
): { m: number; sums: Float64Array; totals: Float64Array } {
  if (options.bagged === undefined) throw new RangeError('the "bagged" scheme needs each row\'s bag');
  const { bagIndex, bags, seed } = options.bagged;
  return baggedSums(columns, bagIndex, { bags, resamples: options.resamples, seed });
}
