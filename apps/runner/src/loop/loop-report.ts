import { lineChart } from "../report/chart-specs.js";
import type { SeriesPoint } from "../report/chart-specs.js";
import { htmlReport } from "../report/html-report.js";
import type { ReportSection } from "../report/html-report.js";
import { renderChart } from "../report/render-chart.js";
import type { LoopResult } from "./run-loop.js";

/**
 * The `cia loop` report: per-period curves (true value of the loop, the static policy, the
 * heuristic and the oracle at the loop's spend; spend against budget; drift checks; OPE intervals
 * against the truth) and the per-period table, as one self-contained HTML page.
 *
 * @example
 * await writeFileAtomic("report.html", await buildLoopReport(result));
 */
export async function buildLoopReport(r: LoopResult): Promise<string> {
  const ps = r.periods;
  const series = (name: string, f: (p: (typeof ps)[number]) => number | null): SeriesPoint[] =>
    ps.flatMap((p) => {
      const y = f(p);
      return y === null || !Number.isFinite(y) ? [] : [{ series: name, x: p.period, y }];
    });
  const value = await renderChart(
    lineChart(
      [
        ...series("loop (re-learned, explored)", (p) => p.trueValue),
        ...series("oracle at the loop's true spend", (p) => p.oracleValue),
        ...series("static (pilot model, never updated)", (p) => p.static.trueValue),
        ...series("heuristic", (p) => p.heuristic.trueValue),
      ],
      { x: "period", y: "true incremental value" },
      { points: true },
    ),
  );
  const spend = await renderChart(
    lineChart(
      [
        ...series("pacer's budget", (p) => p.budget),
        ...series("plan", (p) => p.plannedBudget),
        ...series("loop true spend", (p) => p.trueCost),
        ...series("static true spend", (p) => p.static.trueCost),
      ],
      { x: "period", y: "incremental cost" },
      { points: true },
    ),
  );
  const drift = await renderChart(
    lineChart(
      [
        ...series("cost: realized / predicted (previous period)", (p) => p.drift.costRatio),
        ...series("value: DR / predicted (latest labelled period)", (p) => p.drift.valueRatio),
        ...series("cost re-calibration applied", (p) => p.costScale),
      ],
      { x: "period", y: "ratio" },
      { points: true },
    ),
  );
  const opePoints: SeriesPoint[] = [];
  for (const p of ps) {
    for (const c of p.ope) {
      opePoints.push({ series: `${c.candidate} DR`, x: p.period, y: c.estimate });
      opePoints.push({ series: `${c.candidate} truth`, x: p.period, y: c.truth });
    }
  }
  const ope = await renderChart(
    lineChart(opePoints, { x: "period", y: "incremental value per unit" }, { points: true }),
  );
  const t = r.totals;
  const sections: ReportSection[] = [
    {
      title: "Value per period",
      intro:
        "Each period the loop decides with its current model plus exploration, the world responds (it drifts), labels arrive when each unit's horizon closes, and the model is re-fit when the drift checks flag it. The static policy is the pilot's model, never updated; the oracle knows the true effects and spends what the loop spent.",
      charts: [
        { title: "True incremental value", svg: value },
        { title: "Spend against budget", svg: spend },
      ],
    },
    {
      title: "Drift checks and off-policy evaluation",
      intro:
        "Cost: realized cost of the previous period's offers (to date, plus the pacer's open liability) over the current model's prediction; value: the DR estimate of the shipped policy on the latest labelled period over what was predicted. OPE: DR 95% intervals of each candidate on its period's own logs, once that period's horizon closed.",
      charts: [
        { title: "Calibration of predicted vs realized", svg: drift },
        { title: "DR estimates and truth per candidate", svg: ope },
      ],
    },
    {
      title: "Periods",
      tables: [
        {
          columns: [
            "period",
            "budget",
            "true cost",
            "true value",
            "oracle value",
            "static value",
            "heuristic value",
            "min propensity",
            "re-fit",
            "validation: probe - incumbent (DR 90%) / truth",
            "model",
            "labelled periods",
            "censored",
          ],
          rows: ps.map((p) => [
            p.period,
            p.budget,
            p.trueCost,
            p.trueValue,
            p.oracleValue,
            p.static.trueValue,
            p.heuristic.trueValue,
            p.minPropensity,
            p.retrained
              ? `yes (${p.drift.reason || "new labels"})`
              : p.validation
                ? "rejected by validation"
                : "no",
            p.validation
              ? `period ${p.validation.heldOutPeriod}: ${fmt3(p.validation.estimate)} [${fmt3(p.validation.lower)}, ${fmt3(p.validation.upper)}] / ${fmt3(p.validation.truth)}`
              : "",
            p.modelVersion,
            p.labelledPeriods.map((x) => (x < 0 ? "pilot" : String(x))).join(" "),
            p.censoredPeriods.join(" "),
          ]),
        },
      ],
    },
  ];
  return htmlReport(`CIA loop: ${r.world}, ${ps.length} periods`, sections, {
    world: r.world,
    seed: r.seed,
    "exploration share": r.settings.explore,
    floor: r.settings.floor,
    "control floor": r.settings.controlFloor,
    "value / oracle at own spend": t.valueShareOfOracle,
    "value / static": t.vsStatic,
    "spend / budgets": t.spendVsBudget,
    "max period overspend": t.maxPeriodOverspend,
    "DR 95% coverage": t.opeCoverage,
    ...(r.warning ? { warning: r.warning } : {}),
    seconds: r.seconds,
  });
}

function fmt3(x: number): string {
  return x.toFixed(3);
}
