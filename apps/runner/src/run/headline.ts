import type { Interval } from "@cia/core";
import type { PolicyEvaluation } from "@cia/ope";

/** The decision in one block: what to do, for whom, what it earns and costs, against the baseline. */
export interface Headline {
  /** The recommended policy. */
  recommended: string;
  /** Its rule in words. */
  rule: string;
  /** The baseline it was compared with. */
  baseline: string;
  /** Who gets which offer (no offer left out), over the assigned units (assignment.csv). */
  forWhom: { action: string; units: number; share: number }[];
  /** Units the assignment covers. */
  assignedUnits: number;
  treatedShare: number;
  /** The OPE estimator, its interval method and level, and the units it used. */
  estimator: string;
  interval: string;
  level: number;
  evaluatedOn: string;
  evaluationUnits: number;
  /** Per unit, against no offer for everyone. */
  perUnit: { value: Interval; cost: Interval };
  /** Incremental value per unit of incremental cost (value / cost), when cost is positive. */
  roi: Interval | null;
  /** Per unit, paired against the baseline (policy minus baseline, same rows). */
  vsBaseline: { value: Interval; cost: Interval };
  /** The same per-unit numbers times the assigned units. */
  total: { value: Interval; cost: Interval; vsBaselineValue: Interval; vsBaselineCost: Interval };
  /** False when the paired value interval against the baseline contains 0. */
  beatsBaselineWithConfidence: boolean;
  /** The units of value and cost (e.g. "$"), as the config states; "" when unknown. */
  valueUnit: string;
  costUnit: string;
}

const iv = (e: { estimate: number; lower: number; upper: number } | undefined): Interval => ({
  estimate: e?.estimate ?? Number.NaN,
  lower: e?.lower ?? Number.NaN,
  upper: e?.upper ?? Number.NaN,
});
const times = (x: Interval, m: number): Interval => ({
  estimate: x.estimate * m,
  lower: x.lower * m,
  upper: x.upper * m,
});

/**
 * The report's headline from one OPE of the recommended policy against the baseline (DR with
 * bootstrap intervals: incremental value and cost against no offer, their ratio, and the paired
 * difference against the baseline) and the shipped assignment's action counts. The headline's
 * numbers are exactly report.json's `headline`, and the report renders them from it.
 *
 * @example
 * const h = buildHeadline({ recommended: "cia", rule: "...", baseline: "heuristic", evaluation: ev,
 *   assignment, actions: names, evaluatedOn: "holdout" });
 */
export function buildHeadline(input: {
  recommended: string;
  rule: string;
  baseline: string;
  evaluation: PolicyEvaluation;
  /** The shipped assignment (action indices, 0 = no offer). */
  assignment: Int32Array;
  actions: readonly string[];
  evaluatedOn: string;
  valueUnit?: string | undefined;
  costUnit?: string | undefined;
}): Headline {
  const ev = input.evaluation;
  const dr = ev.estimates.dr;
  const inc = dr?.incremental;
  const vs = dr?.versusBaseline;
  const n = input.assignment.length;
  const counts = new Array<number>(input.actions.length).fill(0);
  for (const a of input.assignment) counts[a]!++;
  const forWhom = input.actions
    .map((action, a) => ({ action, units: counts[a]!, share: n > 0 ? counts[a]! / n : 0 }))
    .filter((x, a) => x.units > 0 && a > 0)
    .sort((a, b) => b.units - a.units);
  const perUnit = { value: iv(inc?.value), cost: iv(inc?.cost) };
  const vsBaseline = { value: iv(vs?.value), cost: iv(vs?.cost) };
  const roi = inc?.cpiv && inc.cost && inc.cost.estimate > 0 ? iv(inc.cpiv) : null;
  return {
    recommended: input.recommended,
    rule: input.rule,
    baseline: input.baseline,
    forWhom,
    assignedUnits: n,
    treatedShare: n > 0 ? (n - counts[0]!) / n : 0,
    estimator: "DR",
    interval:
      ev.interval.method === "bootstrap" ? `bootstrap (${ev.interval.resamples} resamples)` : "normal",
    level: ev.interval.level,
    evaluatedOn: input.evaluatedOn,
    evaluationUnits: ev.n,
    perUnit,
    roi,
    vsBaseline,
    total: {
      value: times(perUnit.value, n),
      cost: times(perUnit.cost, n),
      vsBaselineValue: times(vsBaseline.value, n),
      vsBaselineCost: times(vsBaseline.cost, n),
    },
    beatsBaselineWithConfidence: vsBaseline.value.lower > 0,
    valueUnit: input.valueUnit ?? "",
    costUnit: input.costUnit ?? "",
  };
}
