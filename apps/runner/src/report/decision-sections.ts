import type { Interval } from "@cia/core";
import type { PolicyEvaluation } from "@cia/ope";
import type { UpliftDiagnostics } from "@cia/uplift";
import type { Headline } from "../run/headline.js";
import type { QiniCurve } from "../run/qini-curves.js";
import { calibrationChart, qiniChart, valueForSpendChart } from "./chart-specs.js";
import type { SpendPoint } from "./chart-specs.js";
import { escapeHtml } from "./escape-html.js";
import { formatAmount } from "./format-amount.js";
import { headlineHtml } from "./headline-html.js";
import type { ReportSection } from "./html-report.js";
import { renderChart } from "./render-chart.js";

/** What the decision part of a report (simulated or config run) is drawn from. */
export interface DecisionReportInput {
  headline: Headline;
  /** The headline section's title (the simulated report keeps "Recommendation: NAME"). */
  headlineTitle: string;
  policies: {
    name: string;
    note: string;
    treated: number;
    ope: PolicyEvaluation;
    /** Simulator truth per unit, when known. */
    truth?: { value: number; cost: number } | undefined;
  }[];
  holdoutUnits: number;
  budgetPerUnit: number;
  /** A rule across budgets, as (cost, value) per unit. */
  frontier?: { series: string; x: number; y: number }[] | undefined;
  frontierNote?: string | undefined;
  qini: QiniCurve[];
  diagnostics: UpliftDiagnostics;
  /** The decision layer's candidates against the baseline (paired DR, normal intervals at `level`). */
  candidates: { name: string; valueVsBaseline: Interval; spendWarning: string | null }[];
  level: number;
  runnerUp: { name: string; difference: Interval; distinguishable: boolean } | null;
  simulated: boolean;
  /** Statements about the data the run assumed (cost rule, design): shown first among the caveats. */
  assumptions?: string[] | undefined;
}

const f = (x: number | null | undefined, d = 3): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d));
const range = (x: Interval | undefined, unit: string) =>
  x
    ? `${formatAmount(x.estimate, unit)} [${formatAmount(x.lower, unit)}, ${formatAmount(x.upper, unit)}]`
    : "";

/**
 * The sections every report leads with, for the people who decide: the headline; value for
 * spend (every policy's off-policy value next to its off-policy cost, with intervals, the frontier
 * and the operating point); whether the data can rank the policies; whether the model can be
 * trusted (Qini curves, calibration with intervals, bootstrap stability, effective sample sizes);
 * and the caveats in plain words.
 *
 * @example
 * const sections = await decisionSections({ headline, headlineTitle: "Recommendation: cia", ... });
 */
export async function decisionSections(r: DecisionReportInput): Promise<ReportSection[]> {
  const h = r.headline;
  const vu = h.valueUnit;
  const cu = h.costUnit;
  const sections: ReportSection[] = [];
  // What the run assumed about the data (a cost rule the data do not have) sits right under the
  // numbers it changes, not only among the caveats.
  const assumed = (r.assumptions ?? []).filter((a) => a.startsWith("COST ASSUMPTION"));
  sections.push({
    title: r.headlineTitle,
    html: `${headlineHtml(h)}${assumed.map((a) => `<p class="assume">${escapeHtml(a)}</p>`).join("")}`,
  });

  // Value for spend: DR value and DR cost of every policy, with their bootstrap intervals.
  const points: SpendPoint[] = r.policies.flatMap((p) => {
    const inc = p.ope.estimates.dr?.incremental;
    if (!inc?.cost) return [];
    return [
      {
        policy: p.name,
        cost: inc.cost.estimate,
        costLower: inc.cost.lower,
        costUpper: inc.cost.upper,
        value: inc.value.estimate,
        valueLower: inc.value.lower,
        valueUpper: inc.value.upper,
        recommended: p.name === h.recommended,
      },
    ];
  });
  const level = Math.round((r.policies[0]?.ope.interval.level ?? 0.95) * 100);
  // A zoom on the policies near the budget when one (treat-all) spends far more than the rest.
  const zoom =
    r.budgetPerUnit > 0 && points.some((p) => p.cost > 2.5 * r.budgetPerUnit) ? 2 * r.budgetPerUnit : null;
  sections.push({
    title: "Value for spend: what each policy earns for what it costs",
    intro: `Every policy's incremental value and incremental cost per unit against no offer, both estimated off-policy (DR) on the ${r.holdoutUnits.toLocaleString("en-US")}-unit holdout, with ${level}% bootstrap intervals in both directions. Compare policies at similar cost: a policy that spends more will usually earn more, which a bar of value alone would reward. The red line is the budget per unit (${formatAmount(r.budgetPerUnit, cu)}). The headline above pools these holdout rows with the training rows scored out of fold (the evidence the recommendation was chosen on), so its numbers differ from these.`,
    charts: [
      {
        title: "Incremental value vs incremental cost per unit (DR, off-policy)",
        svg: await renderChart(
          valueForSpendChart(points, {
            ...(r.frontier ? { frontier: r.frontier } : {}),
            budget: r.budgetPerUnit,
            policies: points.map((p) => p.policy),
            xTitle: `incremental cost per unit${cu ? ` (${cu})` : ""}`,
            yTitle: `incremental value per unit${vu ? ` (${vu})` : ""}`,
          }),
          { width: 640, height: 360 },
        ),
        caption: r.frontierNote ?? "",
      },
      ...(zoom
        ? [
            {
              title: "The same, near the budget",
              svg: await renderChart(
                valueForSpendChart(
                  points.filter((p) => p.cost <= zoom),
                  {
                    ...(r.frontier ? { frontier: r.frontier.filter((p) => p.x <= zoom) } : {}),
                    budget: r.budgetPerUnit,
                    xDomain: [0, zoom],
                    policies: points.map((p) => p.policy),
                    xTitle: `incremental cost per unit${cu ? ` (${cu})` : ""}`,
                    yTitle: `incremental value per unit${vu ? ` (${vu})` : ""}`,
                  },
                ),
                { width: 640, height: 360 },
              ),
              caption: `Policies spending up to ${formatAmount(zoom, cu)} per unit (twice the budget); interval bars are clipped at the edge.`,
            },
          ]
        : []),
    ],
    tables: [
      {
        title: `Policies, per holdout unit against no offer (off-policy, ${level}% bootstrap intervals)`,
        columns: [
          "policy",
          "rule",
          "treated",
          `DR value [${level}%]`,
          `DR cost [${level}%]`,
          "value per cost",
          "SNIPS value",
          "SNIPS cost",
          "effective sample size",
          ...(r.simulated ? ["true value", "true cost"] : []),
        ],
        rows: r.policies.map((p) => {
          const dr = p.ope.estimates.dr?.incremental;
          const sn = p.ope.estimates.snips?.incremental;
          return [
            p.name === h.recommended ? `${p.name} (recommended)` : p.name,
            p.note,
            p.treated,
            range(dr?.value, vu),
            range(dr?.cost, cu),
            dr?.cpiv?.defined ? f(dr.cpiv.estimate) : null,
            f(sn?.value.estimate),
            f(sn?.cost?.estimate),
            Math.round(p.ope.diagnostics.target.effectiveSampleSize),
            ...(r.simulated ? [f(p.truth?.value), f(p.truth?.cost)] : []),
          ];
        }),
      },
    ],
  });

  // Can the data rank them? Said in words, candidate by candidate.
  const pct = Math.round(r.level * 100);
  const ranking = r.candidates.map((c) =>
    c.valueVsBaseline.lower > 0
      ? `${c.name} beats the baseline: paired value difference ${range(c.valueVsBaseline, vu)} per unit (${pct}%).`
      : c.valueVsBaseline.upper < 0
        ? `${c.name} is worse than the baseline: ${range(c.valueVsBaseline, vu)} per unit (${pct}%).`
        : `${c.name} and the baseline cannot be ranked: the ${pct}% interval of their paired value difference, ${range(c.valueVsBaseline, vu)} per unit, contains 0.`,
  );
  if (r.runnerUp)
    ranking.push(
      r.runnerUp.distinguishable
        ? `${h.recommended} and the runner-up ${r.runnerUp.name} can be ranked: paired value difference ${range(r.runnerUp.difference, vu)} per unit (90%).`
        : `${h.recommended} and the runner-up ${r.runnerUp.name} cannot be ranked: their paired value difference ${range(r.runnerUp.difference, vu)} per unit (90%) contains 0; intervals this wide do not say which is better.`,
    );
  for (const c of r.candidates) if (c.spendWarning) ranking.push(`${c.name}: ${c.spendWarning}.`);
  sections.push({
    title: "Can the data tell the policies apart?",
    intro:
      "Differences are paired (the same logged units, the same reward model for every policy), so they are tighter than the two policies' own intervals; pooled over the holdout and the training rows scored out of fold.",
    bullets: ranking,
  });

  // Can the model be trusted? Qini curves, calibration with intervals, stability, overlap.
  const d = r.diagnostics;
  const cal = (which: "value" | "cost") => {
    const c = which === "value" ? d.calibration.value.pooled : d.calibration.cost?.pooled;
    return (c?.bins ?? []).map((b, i) => ({
      bin: i,
      predicted: b.predictedMean,
      realized: b.realized.estimate,
      lower: b.realized.lower,
      upper: b.realized.upper,
      ...(b.truthMean !== null ? { truth: b.truthMean } : {}),
    }));
  };
  const qiniPoints = r.qini.flatMap((c) =>
    c.fraction.map((fr, j) => ({ offer: c.action, fraction: fr, qini: c.qini[j]! })),
  );
  const st = d.bootstrapStability;
  // A cost that is the same for every treated unit (a fixed cost per offer) has nothing to calibrate.
  const costBins = d.calibration.cost?.pooled.bins ?? [];
  const costVaries =
    costBins.length > 1 &&
    Math.max(...costBins.map((b) => b.predictedMean)) - Math.min(...costBins.map((b) => b.predictedMean)) >
      1e-9;
  sections.push({
    title: "Can the model be trusted?",
    intro: `Diagnostics on the holdout${r.simulated ? ", with the simulator's truth as red diamonds" : ""}. Qini: the holdout rows of each offer and of no offer, sorted by the predicted uplift of that offer; a curve above its dashed diagonal means the model ranks better than random. Calibration: realized uplift (IPW) per bin of predicted uplift with its 95% interval; on the dashed diagonal when calibrated.`,
    charts: [
      ...(qiniPoints.length
        ? [
            {
              title: "Qini curves per offer (holdout)",
              svg: await renderChart(
                qiniChart(qiniPoints, `cumulative incremental value${vu ? ` (${vu})` : ""}`),
              ),
              caption: d.upliftScores
                .map((s) => `${d.actionNames[s.action]}: normalized Qini ${f(s.qini)}`)
                .join("; "),
            },
          ]
        : []),
      {
        title: "Calibration: value uplift by predicted bin",
        svg: await renderChart(calibrationChart(cal("value"), "value")),
        caption: `slope ${f(d.calibration.value.pooled.slope)} (1 = calibrated)${d.calibration.value.pooled.truthSlope !== null ? `; true slope ${f(d.calibration.value.pooled.truthSlope)}` : ""}`,
      },
      ...(d.calibration.cost && costVaries
        ? [
            {
              title: "Calibration: cost uplift by predicted bin",
              svg: await renderChart(calibrationChart(cal("cost"), "cost")),
              caption: `slope ${f(d.calibration.cost.pooled.slope)}${d.calibration.cost.pooled.truthSlope !== null ? `; true slope ${f(d.calibration.cost.pooled.truthSlope)}` : ""}`,
            },
          ]
        : []),
    ],
    tables: [
      {
        title: "Bootstrap stability and ranking",
        columns: ["check", "value", "reads"],
        rows: [
          [
            "value ranking across bootstrap members (mean / min Spearman)",
            st ? `${f(st.value.meanSpearman)} / ${f(st.value.minSpearman)}` : "n/a (one member)",
            "1 = every resample ranks the units the same",
          ],
          [
            "top-decile overlap across members (mean / min)",
            st ? `${f(st.value.meanTopKOverlap)} / ${f(st.value.minTopKOverlap)}` : "n/a",
            "share of the top 10% the resamples agree on",
          ],
          [
            "cost ranking across members (mean Spearman)",
            st?.cost && Number.isFinite(st.cost.meanSpearman) ? f(st.cost.meanSpearman) : "n/a",
            costVaries ? "" : "cost is the same for every treated unit: nothing to rank or calibrate",
          ],
          [
            "ranking Spearman (realized efficiency by predicted bin)",
            f(d.ranking?.spearman),
            "1 = bins with higher predicted efficiency realize more",
          ],
        ],
      },
      {
        title: "Effective sample size of each policy's OPE (Kish, on the holdout)",
        columns: ["policy", "effective units", "share of the holdout", "max weight"],
        rows: r.policies.map((p) => [
          p.name,
          Math.round(p.ope.diagnostics.target.effectiveSampleSize),
          f(p.ope.diagnostics.target.effectiveSampleShare),
          f(p.ope.diagnostics.target.maxWeight, 2),
        ]),
      },
    ],
  });

  const minEss = Math.min(...r.policies.map((p) => p.ope.diagnostics.target.effectiveSampleSize));
  const slope = d.calibration.value.pooled.slope;
  const modelCaveats = [
    ...(Number.isFinite(slope) && (slope < 0.5 || slope > 1.5)
      ? [
          `The value calibration slope is ${f(slope)} (1 = calibrated): the model's predicted differences in value uplift are ${slope < 1 ? "much larger" : "much smaller"} than the realized ones. Trust its ranking more than its magnitudes; the off-policy estimates above do not depend on them.`,
        ]
      : []),
    ...(st && Number.isFinite(st.value.meanSpearman) && st.value.meanSpearman < 0.5
      ? [
          `The bootstrap members disagree on who benefits most (mean Spearman ${f(st.value.meanSpearman)} between their value rankings): the targeting of individual units is unstable, so read the policy-level estimates, not single units' scores.`,
        ]
      : []),
    ...(d.ranking && Number.isFinite(d.ranking.spearman) && d.ranking.spearman < 0.5
      ? [
          `The ranking check is weak (Spearman ${f(d.ranking.spearman)} between predicted and realized efficiency by bin): more data or fewer features may be needed before the targeting is reliable.`,
        ]
      : []),
  ];
  sections.push({
    title: "Caveats, in plain words",
    bullets: [
      ...(r.assumptions ?? []),
      r.simulated
        ? "This is a simulated world: the truth is known and shown next to the estimates; on real data only the off-policy estimates exist."
        : "There is no ground truth on real data: every number on this page is an off-policy estimate from the logged, randomized decisions of the holdout (DR and SNIPS with bootstrap intervals), never a measured result of the new policy. Confirm with a randomized test before scaling.",
      "DM (the direct method) is model-based: it is only as good as the reward model and is shown for comparison, never used alone to decide. DR corrects the model with the logged propensities; SNIPS uses the propensities alone.",
      "An interval that contains 0 means the data cannot tell that difference from no difference. Where two policies' paired interval contains 0, they are not ranked, whatever the point estimates say.",
      ...modelCaveats,
      `The smallest effective sample size among the policies is ${Math.round(minEss).toLocaleString("en-US")} units: estimates resting on few effective units are noisy.`,
      "Estimates hold for units like the logged ones, under the logging design; a policy that treats units or offers the log never tried cannot be evaluated.",
    ],
  });
  return sections;
}
