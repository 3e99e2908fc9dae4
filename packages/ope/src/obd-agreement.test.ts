import { describe, expect, it } from "vitest";
import { bootstrapMeanInterval } from "./bootstrap-mean-interval.js";
import { estimatePolicyValue } from "./estimate-policy-value.js";
import { importanceWeights } from "./importance-weights.js";
import { loadObd, loadObdReference, missingObdFile } from "./test-helpers/obd.js";
import type { EstimatorName } from "./types.js";
import { weightDiagnostics } from "./weight-diagnostics.js";

// Exact agreement with Open Bandit Pipeline 0.5.5 on the OBD small sample: the BTS policy
// evaluated from the uniform-random logs, fed OBP's own reward-model predictions
// (/work/shared/reference/reference.md section 4; numbers from obd.json).
const missing = missingObdFile();
if (missing)
  console.warn(
    `[ope] skipping the OBD agreement tests: ${missing} not found (set CIA_DATA_DIR / CIA_REFERENCE_DIR)`,
  );

const PAIRS: [EstimatorName, "ipw" | "snipw" | "dm" | "dr"][] = [
  ["ips", "ipw"],
  ["snips", "snipw"],
  ["dm", "dm"],
  ["dr", "dr"],
];

describe.skipIf(missing !== null)("agreement with OBP on the Open Bandit Dataset", () => {
  for (const campaign of ["men", "women"] as const) {
    describe(campaign, () => {
      const data = missing ? null : loadObd(campaign);
      const ref = missing ? null : loadObdReference(campaign);
      const inputs = () => ({
        k: data!.k,
        action: data!.action,
        propensity: data!.propensity,
        reward: data!.reward,
        target: data!.target,
        qHat: data!.qHat,
      });

      it("shapes match OBP's", () => {
        expect(data!.n).toBe(ref!.n_rounds);
        expect(data!.k).toBe(ref!.n_actions);
      });

      for (const [ours, theirs] of PAIRS) {
        it(`${ours} equals OBP's ${theirs} to the last bit (and so to 1e-9 relative)`, () => {
          const estimate = estimatePolicyValue(ours, inputs()).estimate;
          const expected = ref!.estimators[theirs].estimate;
          expect(Math.abs(estimate - expected) / Math.abs(expected)).toBeLessThanOrEqual(1e-9);
          expect(estimate).toBe(expected);
        });
      }

      it("importance-weight statistics match OBP's", () => {
        const w = importanceWeights(inputs());
        const d = weightDiagnostics(w);
        expect(d.meanWeight).toBeCloseTo(ref!.importance_weight_stats.mean, 12);
        expect(d.maxWeight).toBe(ref!.importance_weight_stats.max);
      });

      it("10,000-resample percentile bootstrap intervals agree with OBP's within Monte Carlo error", () => {
        for (const [ours, theirs] of PAIRS) {
          const rounds = estimatePolicyValue(ours, inputs()).rounds;
          const ci = bootstrapMeanInterval(rounds, { resamples: 10_000, seed: 12345 });
          const r = ref!.estimators[theirs];
          // Two independent 10,000-resample runs differ in a 2.5% quantile by about 0.04 bootstrap
          // SDs; allow 0.2 SD (5 sigma). The SD is read off OBP's own interval width.
          const sd = (r.ci95_upper - r.ci95_lower) / 3.92;
          expect(Math.abs(ci.lower - r.ci95_lower)).toBeLessThan(0.2 * sd);
          expect(Math.abs(ci.upper - r.ci95_upper)).toBeLessThan(0.2 * sd);
          let mean = 0;
          for (const x of ci.replicates) mean += x;
          expect(Math.abs(mean / ci.replicates.length - r.bootstrap_mean)).toBeLessThan(0.05 * sd);
        }
      });
    });
  }
});
