import { lineChart, opeChart } from "../report/chart-specs.js";
import { decisionSections } from "../report/decision-sections.js";
import type { EstimatePoint, SeriesPoint } from "../report/chart-specs.js";
import { htmlReport } from "../report/html-report.js";
import type { ReportSection } from "../report/html-report.js";
import { renderChart } from "../report/render-chart.js";
import type { RunResult } from "./run-result.js";

const f = (x: number | null | undefined, d = 3): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d));

/**
 * The self-contained report of `cia run`: every chart rendered to inline SVG (Vega-Lite), plus the
 * tables behind them, in one HTML file that opens offline.
 *
 * @example
 * writeFileAtomic("report.html", await buildRunReport(result));
 */
export async function buildRunReport(r: RunResult): Promise<string> {
  const d = r.diagnostics;
  const sections: ReportSection[] = [];

  // The decision first, for the people who decide: headline, value for spend, ranking, trust, caveats.
  if (r.headline)
    sections.push(
      ...(await decisionSections({
        headline: r.headline,
        headlineTitle: `Recommendation: ${r.recommended}`,
        policies: r.policies.map((p) => ({ ...p, truth: { value: p.trueValue, cost: p.trueCost } })),
        holdoutUnits: r.holdoutUnits,
        budgetPerUnit: r.budget,
        qini: r.qini ?? [],
        diagnostics: d,
        candidates: r.decision.candidates,
        level: r.decision.level,
        runnerUp: null,
        simulated: true,
      })),
    );
  sections.push({
    title: "The decision layer: candidates against the heuristic",
    intro:
      `${r.decision.reason}. ` +
      (r.decision.fallback
        ? "The baseline is kept because no candidate beat it with confidence on the logged data. "
        : "") +
      `Chosen by the lower ${Math.round(((1 + r.decision.level) / 2) * 100)}% bound of the paired DR value difference on ${r.decision.evaluationUnits.toLocaleString("en-US")} logged units none of the models was fit on; every candidate's budget was calibrated to the ${r.decision.spendCriterion} bound of its DR spend. Budget: ${f(r.budget)} per unit.`,
    tables: [
      {
        columns: [
          "policy",
          "value vs heuristic",
          "lower",
          "upper",
          "handed budget / unit",
          "predicted spend / unit",
          "DR spend / unit",
          "note",
        ],
        rows: r.decision.candidates.map((c) => [
          c.name,
          f(c.valueVsBaseline.estimate),
          f(c.valueVsBaseline.lower),
          f(c.valueVsBaseline.upper),
          f(c.handedBudgetPerUnit),
          f(c.predictedSpendPerUnit),
          f(c.opeSpendPerUnit.estimate),
          c.spendWarning ?? (c.name === r.recommended ? "recommended" : ""),
        ]),
      },
    ],
  });

  // Identify
  sections.push({
    title: "1. Identify: the randomized experiment",
    intro: `Warm-start exploration over ${r.actions.length} actions (no offer included) with a probability floor; labels built from outcome events over a ${r.labels.horizonDays}-day horizon. The sample-ratio check compares arm counts with the design.`,
    tables: [
      {
        title: "Per-action effects against no offer (Hajek IPW, 95% intervals)",
        columns: [
          "action",
          "rows",
          "value effect",
          "lower",
          "upper",
          "cost effect",
          "lower",
          "upper",
          "cost per incremental value",
        ],
        rows: r.effects.map((e) => [
          e.name,
          e.n,
          f(e.value.estimate),
          f(e.value.lower),
          f(e.value.upper),
          f(e.cost?.estimate),
          f(e.cost?.lower),
          f(e.cost?.upper),
          f(e.costPerValue?.estimate),
        ]),
      },
      {
        title: "Sample ratio and labels",
        columns: ["check", "result"],
        rows: [
          ["SRM chi-square p-value", f(r.srm.pValue, 4)],
          ["SRM verdict", r.srm.mismatch ? "MISMATCH: do not read the results" : "split matches the design"],
          ["decisions labelled", r.labels.decisions.labelled],
          ["decisions censored (window open)", r.labels.decisions.censored],
          ["events attributed", r.labels.events.attributed],
          ["events after the window", r.labels.events.afterWindow],
        ],
      },
    ],
  });

  // Learn
  const curve = d.costCurve;
  const gain: SeriesPoint[] = [];
  if (curve) {
    curve.fraction.forEach((_, i) => {
      gain.push({ series: "model order, IPW estimate", x: curve.ipwCost[i]!, y: curve.ipwValue[i]! });
      if (curve.trueValue && curve.trueCost)
        gain.push({ series: "model order, true", x: curve.trueCost[i]!, y: curve.trueValue[i]! });
    });
  }
  sections.push({
    title: "2. Learn: value and cost heads",
    intro: `${r.model.learner.toUpperCase()}-learner on ${r.model.base === "ridge" ? "ridge regression" : "histogram gradient boosting"}, separate value and cost heads, ${r.model.bootstraps} bootstrap resamples; diagnostics on a ${r.holdoutUnits}-unit holdout with logged propensities, each against the simulator's truth (calibration and Qini are in "Can the model be trusted?" above).`,
    charts: [
      ...(gain.length
        ? [
            {
              title: "Cost-aware gain curve",
              svg: await renderChart(
                lineChart(gain, { x: "cumulative incremental cost", y: "cumulative incremental value" }),
              ),
              caption: "Units treated in order of predicted efficiency, over all offers.",
            },
          ]
        : []),
    ],
    tables: [
      {
        title: "Ranking and accuracy",
        columns: ["metric", "value"],
        rows: [
          ["ranking Spearman (realized efficiency by predicted bin)", f(d.ranking?.spearman)],
          ["ranking inversions", d.ranking?.inversions ?? null],
          ...(d.sqrtPehe
            ? d.sqrtPehe.value
                .slice(1)
                .map((v, i) => [`sqrt PEHE value, ${r.actions[i + 1]}`, f(v)] as [string, number | null])
            : []),
          ...(d.sqrtPehe?.cost
            ? d.sqrtPehe.cost
                .slice(1)
                .map((v, i) => [`sqrt PEHE cost, ${r.actions[i + 1]}`, f(v)] as [string, number | null])
            : []),
          ...d.upliftScores.map(
            (s) => [`Qini (normalized), ${r.actions[s.action]}`, f(s.qini)] as [string, number | null],
          ),
        ],
      },
    ],
  });

  // Decide + validate
  const opeValue: EstimatePoint[] = [];
  for (const p of r.policies) {
    for (const [name, e] of Object.entries(p.ope.estimates)) {
      const inc = e?.incremental?.value;
      if (inc)
        opeValue.push({
          policy: p.name,
          estimator: name.toUpperCase(),
          estimate: inc.estimate,
          lower: inc.lower,
          upper: inc.upper,
          truth: p.trueValue,
        });
    }
  }
  const frontier: SeriesPoint[] = [];
  for (const pt of r.frontier) {
    frontier.push({ series: "optimizer (true)", x: pt.optimizerCost, y: pt.optimizerValue });
    frontier.push({ series: "oracle", x: pt.oracleCost, y: pt.oracleValue });
  }
  for (const p of r.policies)
    if (p.name === "heuristic" || p.name === "treat-all" || p.name === r.recommended)
      frontier.push({
        series: p.name === r.recommended ? `${p.name} (recommended: the operating point)` : p.name,
        x: p.trueCost,
        y: p.trueValue,
      });
  sections.push({
    title: "3. Decide and 4. Validate: candidate policies",
    intro: `Budget: the heuristic's true incremental spend, ${f(r.budget)} per unit. Every policy is evaluated off-policy on the holdout log (incremental value per unit against no offer, 95% bootstrap intervals) and against the simulator's truth (red ticks): the online test.`,
    charts: [
      {
        title: "Value-versus-spend frontier (truth)",
        svg: await renderChart(
          lineChart(
            frontier,
            { x: "incremental cost per unit", y: "incremental value per unit" },
            { points: true },
          ),
        ),
        caption:
          "Optimizer at budgets from 0.1x to 3x the heuristic's spend, against the oracle allocation, the two rules and the recommended policy (the operating point), all at their true value and cost.",
      },
      {
        title: "OPE estimates with intervals against the truth",
        svg: await renderChart(opeChart(opeValue, "incremental value per unit")),
      },
    ],
    tables: [
      {
        title: "Policies (per holdout unit)",
        columns: [
          "policy",
          "rule",
          "treated",
          "true value",
          "true cost",
          "predicted value",
          "predicted cost",
          "DR value",
          "DR lower",
          "DR upper",
          "IPS value",
          "SNIPS value",
        ],
        rows: r.policies.map((p) => {
          const dr = p.ope.estimates.dr?.incremental?.value;
          return [
            p.name,
            p.note,
            p.treated,
            f(p.trueValue),
            f(p.trueCost),
            f(p.predictedValue),
            f(p.predictedCost),
            f(dr?.estimate),
            f(dr?.lower),
            f(dr?.upper),
            f(p.ope.estimates.ips?.incremental?.value.estimate),
            f(p.ope.estimates.snips?.incremental?.value.estimate),
          ];
        }),
      },
      {
        title: "Oracle at the same budget",
        columns: ["value", "cost"],
        rows: [[f(r.oracle.value), f(r.oracle.cost)]],
      },
    ],
  });

  // Pacing
  const pace: SeriesPoint[] = [];
  for (const p of r.pacing.paths) {
    for (const [day, v] of p.realizedToDate.entries()) pace.push({ series: p.name, x: day + 1, y: v });
  }
  const lastDay = r.pacing.paths[0]?.realizedToDate.length ?? r.pacing.days;
  pace.push(
    { series: "period budget", x: 1, y: r.pacing.budget },
    { series: "period budget", x: lastDay, y: r.pacing.budget },
  );
  sections.push({
    title: "Pacing a period",
    intro: `${r.pacing.days} days, ${r.pacing.unitsPerDay} units a day, period budget ${f(r.pacing.budget, 0)} on realized redemption cost. CIA's pacer: B_today = B_period - (spend to date + expected remaining liability), with redemption timing (Kaplan-Meier) and cost bias calibrated daily; naive: B/T a day.`,
    charts: [
      {
        title: "Realized spend to date",
        svg: await renderChart(lineChart(pace, { x: "day", y: "realized spend of the period's offers" })),
        caption: `Offers are assigned on days 1-${r.pacing.days}; their redemptions keep arriving until the accounting horizon, so the paths end at the period spend.`,
      },
    ],
    tables: [
      {
        columns: ["pacer", "period spend", "|spend - B| / B", "max overshoot", "true value"],
        rows: r.pacing.paths.map((p) => [
          p.name,
          f(p.periodSpend, 1),
          f(p.relativeError, 4),
          f(p.maxOvershoot, 4),
          f(p.trueValue, 1),
        ]),
      },
    ],
  });

  return htmlReport(`CIA run: ${r.world} world`, sections, {
    world: r.world,
    seed: r.seed,
    "experiment units": r.units,
    "train / holdout": `${r.trainUnits} / ${r.holdoutUnits}`,
    actions: r.actions.join(", "),
    "model contract hash": r.model.contractHash.slice(0, 16),
    "seconds (before the report)": Object.values(r.timings)
      .reduce((a, b) => a + b, 0)
      .toFixed(1),
  });
}
