import { normalQuantile } from "@cia/core";
import type { Estimate } from "./types.js";
import { meanStandardError } from "./normal-mean-interval.js";
import { numpyMean } from "@cia/core/parity";
import { otherHead } from "./policy-quantities.js";
import type { Head, HeadRounds, PolicyKey, Quantities } from "./policy-quantities.js";

/**
 * Normal-approximation (Wald) quantities: estimate +- z se. Differences take the standard error
 * of the per-round differences (paired: both policies are evaluated on the same rounds); ratios
 * use the delta method on the per-round differences.
 *
 * @example
 * const q = normalQuantities(rounds, 0.95);
 * q.difference("target", "control", "value"); // incremental value per unit
 */
export function normalQuantities(rounds: ReadonlyMap<PolicyKey, HeadRounds>, level: number): Quantities {
  const z = normalQuantile(1 - (1 - level) / 2);
  const col = (p: PolicyKey, h: Head) => rounds.get(p)![h]!;
  const wald = (estimate: number, se: number): Estimate => ({
    estimate,
    lower: estimate - z * se,
    upper: estimate + z * se,
    se,
  });
  return {
    mean(p, h) {
      const x = col(p, h);
      const m = numpyMean(x);
      return wald(m, meanStandardError(x, m));
    },
    difference(p, r, h) {
      const a = col(p, h);
      const b = col(r, h);
      const d = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) d[i] = a[i]! - b[i]!;
      return wald(numpyMean(a) - numpyMean(b), meanStandardError(d, numpyMean(d)));
    },
    ratio(p, r, numHead) {
      const denHead = otherHead(numHead);
      const an = col(p, numHead);
      const bn = col(r, numHead);
      const ad = col(p, denHead);
      const bd = col(r, denHead);
      const num = numpyMean(an) - numpyMean(bn);
      const den = numpyMean(ad) - numpyMean(bd);
      const ratio = num / den;
      // Delta method: Var(R) ~ Var(dn_i - R dd_i) / (n den^2), with dn, dd the per-round differences.
      const n = an.length;
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) u[i] = an[i]! - bn[i]! - ratio * (ad[i]! - bd[i]!);
      return wald(ratio, meanStandardError(u, numpyMean(u)) / Math.abs(den));
    },
  };
}
