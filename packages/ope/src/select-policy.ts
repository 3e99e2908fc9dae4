import { CiaError, type Interval } from "@cia/core";

/** One candidate for {@link selectPolicy}: its paired difference in value against the baseline. */
export interface PolicyCandidate {
  readonly name: string;
  /** Value per unit, candidate minus baseline, paired on the same logged units (e.g. DR `versusBaseline.value`). */
  readonly difference: Interval;
  /** False to keep a candidate out of the choice (e.g. it failed the budget check); default true. */
  readonly eligible?: boolean | undefined;
  /** Why it is not eligible, for the report. */
  readonly reason?: string | undefined;
}

/** The verdict of {@link selectPolicy}. */
export interface PolicySelection {
  /** The recommended policy: the best candidate, or the baseline when none beats it with confidence. */
  readonly recommended: string;
  /** True when the baseline was kept because no candidate's lower bound cleared zero. */
  readonly fallback: boolean;
  /** One sentence for the report. */
  readonly reason: string;
  /** Every candidate, best lower bound first. */
  readonly ranking: readonly {
    readonly name: string;
    readonly difference: Interval;
    readonly eligible: boolean;
    readonly beatsBaseline: boolean;
    readonly reason?: string | undefined;
  }[];
}

/**
 * Policy selection by off-policy evaluation with a safe fallback (methodology lesson 9: choose by
 * policy value, not by a fit metric). Each candidate comes with the interval of its paired value
 * difference against the baseline, estimated on logged data none of them was fit on. The
 * recommendation is the eligible candidate with the largest LOWER bound, provided that bound is
 * above zero; otherwise the baseline is recommended and the reason says so. Ranking by the lower
 * bound rather than the point estimate is deliberate: among noisy estimates the largest point
 * estimate is biased upward (the optimizer's curse), and a policy is only worth shipping when it
 * beats what runs today with confidence.
 *
 * @example
 * selectPolicy("heuristic", [
 *   { name: "optimizer", difference: { estimate: 0.3, lower: 0.05, upper: 0.55 } },
 *   { name: "uplift ranking", difference: { estimate: 0.1, lower: -0.2, upper: 0.4 } },
 * ]).recommended; // "optimizer"
 */
export function selectPolicy(baseline: string, candidates: readonly PolicyCandidate[]): PolicySelection {
  const seen = new Set<string>([baseline]);
  for (const c of candidates) {
    if (seen.has(c.name)) throw new CiaError("invalid_option", `policy name '${c.name}' is given twice`, {});
    seen.add(c.name);
    const d = c.difference;
    if (![d.estimate, d.lower, d.upper].every(Number.isFinite) || d.lower > d.upper) {
      throw new CiaError(
        "invalid_option",
        `policy '${c.name}': the difference interval is not finite and ordered`,
        {
          difference: d,
        },
      );
    }
  }
  const ranking = candidates
    .map((c) => {
      const eligible = c.eligible ?? true;
      return {
        name: c.name,
        difference: c.difference,
        eligible,
        beatsBaseline: eligible && c.difference.lower > 0,
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
      };
    })
    .sort((a, b) => b.difference.lower - a.difference.lower || a.name.localeCompare(b.name));
  const best = ranking.find((r) => r.beatsBaseline);
  if (!best) {
    return {
      recommended: baseline,
      fallback: true,
      reason: `no candidate beats ${baseline} with confidence (every lower bound of the paired value difference is <= 0): keep ${baseline}`,
      ranking,
    };
  }
  return {
    recommended: best.name,
    fallback: false,
    reason: `${best.name} has the largest lower bound of its paired value difference against ${baseline} (${best.difference.lower.toPrecision(3)} per unit > 0)`,
    ranking,
  };
}
