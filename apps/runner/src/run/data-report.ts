import { decisionSections } from "../report/decision-sections.js";
import { formatAmount } from "../report/format-amount.js";
import { htmlReport } from "../report/html-report.js";
import type { ReportSection } from "../report/html-report.js";
import type { DataRunResult } from "./data-run-result.js";

const f = (x: number | null | undefined, d = 3): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d));

/**
 * The self-contained report of `cia run --config`: the decision sections first (headline, value
 * for spend, whether the policies can be ranked, whether the model can be trusted, caveats), then
 * the data and the decision layer. Charts are inline SVG; the page opens offline.
 *
 * @example
 * writeFileAtomic("report.html", await buildDataReport(result));
 */
export async function buildDataReport(r: DataRunResult): Promise<string> {
  const frontier = r.frontier.points.map((p) => ({
    series: r.frontier.rule,
    x: p.cost.estimate,
    y: p.value.estimate,
  }));
  const sections: ReportSection[] = await decisionSections({
    headline: r.headline,
    headlineTitle: `What to do: ${r.recommended}`,
    policies: r.policies,
    holdoutUnits: r.holdoutUnits,
    budgetPerUnit: r.budgetPerUnit,
    frontier,
    frontierNote: `Dashed: ${r.frontier.rule} at ${r.frontier.points.map((p) => `${p.budgetShare}x`).join(", ")} the budget (DR point estimates). Budget ${formatAmount(r.budget, r.costUnit)} over ${r.assignedUnits.toLocaleString("en-US")} units.`,
    qini: r.qini,
    diagnostics: r.diagnostics,
    candidates: r.decision.candidates,
    level: r.decision.level,
    runnerUp: r.runnerUp,
    simulated: false,
    assumptions: r.assumptions,
  });
  sections.push({
    title: "The data",
    intro: `${r.units.toLocaleString("en-US")} logged units from ${r.data}${r.rowsRead !== r.units ? ` (a sample of ${r.rowsRead.toLocaleString("en-US")})` : ""}; ${r.trainUnits.toLocaleString("en-US")} to learn, ${r.holdoutUnits.toLocaleString("en-US")} held out for diagnostics and off-policy evaluation. Actions: ${r.actions.join(", ")} (${r.actions[0]} is no offer).`,
    tables: [
      {
        title: "Per-action effects against no offer (Hajek IPW, 95% intervals)",
        columns: ["action", "rows", "value effect", "lower", "upper", "cost effect", "lower", "upper"],
        rows: r.effects.map((e) => [
          e.name,
          e.n,
          f(e.value.estimate),
          f(e.value.lower),
          f(e.value.upper),
          f(e.cost?.estimate),
          f(e.cost?.lower),
          f(e.cost?.upper),
        ]),
      },
      ...(r.srm
        ? [
            {
              title: "Sample ratio against the stated design",
              columns: ["check", "result"],
              rows: [
                ["chi-square p-value", f(r.srm.pValue, 4)],
                [
                  "verdict",
                  r.srm.mismatch
                    ? "MISMATCH: the split does not match the design"
                    : "split matches the design",
                ],
              ] as (string | number | null)[][],
            },
          ]
        : []),
      ...(r.labels
        ? [
            {
              title: "Labels from the logs",
              columns: ["", "learning (value)", "accounting (cost)"],
              rows: [
                ["horizon, days", r.labels.learning.horizonDays, r.labels.accounting.horizonDays],
                [
                  "decisions labelled",
                  r.labels.learning.decisions.labelled,
                  r.labels.accounting.decisions.labelled,
                ],
                [
                  "decisions censored",
                  r.labels.learning.decisions.censored,
                  r.labels.accounting.decisions.censored,
                ],
                [
                  "events attributed",
                  r.labels.learning.events.attributed,
                  r.labels.accounting.events.attributed,
                ],
              ] as (string | number | null)[][],
            },
          ]
        : []),
    ],
  });
  sections.push({
    title: "The decision layer",
    intro: `${r.decision.reason}. Each rule's budget was calibrated until the ${r.decision.spendCriterion} bound of its DR spend met the budget (${formatAmount(r.budgetPerUnit, r.costUnit)} per unit); the recommendation is the rule with the largest lower bound of its paired value gain over the baseline (${r.baseline.name}: ${r.baseline.rule}), on ${r.decision.evaluationUnits.toLocaleString("en-US")} logged units no model was fitted on.${
      Object.keys(r.guardrails).length
        ? ` Guardrails: ${Object.entries(r.guardrails)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}.`
        : ""
    }`,
    tables: [
      {
        columns: [
          "rule",
          "value vs baseline",
          "lower",
          "upper",
          "handed budget / unit",
          "predicted spend / unit",
          "DR spend / unit",
          "DR spend upper",
        ],
        rows: r.decision.candidates.map((c) => [
          c.name === r.recommended ? `${c.name} (recommended)` : c.name,
          f(c.valueVsBaseline.estimate),
          f(c.valueVsBaseline.lower),
          f(c.valueVsBaseline.upper),
          f(c.handedBudgetPerUnit),
          f(c.predictedSpendPerUnit),
          f(c.opeSpendPerUnit.estimate),
          f(c.opeSpendPerUnit.upper),
        ]),
      },
    ],
  });
  return htmlReport(`CIA: ${r.name}`, sections, {
    config: r.config,
    seed: r.seed,
    "logged units (train / holdout)": `${r.units} (${r.trainUnits} / ${r.holdoutUnits})`,
    "assigned units": r.assignedUnits,
    budget: `${formatAmount(r.budget, r.costUnit)} in total`,
    model: `${r.model.learner.toUpperCase()}-learner, ${r.model.base}, ${r.model.bootstraps} bootstraps, contract ${r.model.contractHash.slice(0, 12)}`,
  });
}
