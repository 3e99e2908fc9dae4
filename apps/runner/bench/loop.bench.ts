import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordSuite } from "@cia/bench";
import type { CaseResult } from "@cia/bench";
import { loopCommand } from "../src/commands/loop.js";
import type { LoopResult } from "../src/loop/run-loop.js";

// The production loop (issue 19): `cia loop` at default settings (8 periods, 10k units a period,
// a 20k-unit warm-start pilot, exploration 0.025 with floor 0.005 and control floor 0.05) in the drift and default worlds,
// seeds 1-3. Targets: every decision logged with its propensity, min propensity >= floor;
// cumulative true value >= 0.85 x the per-period oracle at the loop's own true spend and above the
// static policy; cumulative true spend within 1% of the budgets' sum, no period > 5% over; DR 95%
// coverage of the candidates' true values 93-97%. `LOOP_WORLDS` / `LOOP_SEEDS` narrow the grid.
const worlds = (process.env.LOOP_WORLDS ?? "drift,default").split(",");
const seeds = (process.env.LOOP_SEEDS ?? "1,2,3").split(",");
const out = mkdtempSync(join(tmpdir(), "cia-loop-bench-"));

const runs: LoopResult[] = [];
for (const world of worlds) {
  for (const seed of seeds) {
    const r = await loopCommand({ world, periods: 8, seed, out: join(out, `${world}-${seed}`), quiet: true });
    runs.push(r);
    const t = r.totals;
    process.stderr.write(
      `${world} seed ${seed}: value/oracle ${t.valueShareOfOracle.toFixed(3)} vs static ${t.vsStatic.toFixed(3)} ` +
        `spend/budgets ${t.spendVsBudget.toFixed(3)} max over ${t.maxPeriodOverspend.toFixed(3)} ` +
        `coverage ${t.opeCoverage.toFixed(3)} ${r.seconds.toFixed(0)} s\n`,
    );
  }
}

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const cases: CaseResult[] = [];
for (const world of worlds) {
  const wr = runs.filter((r) => r.world === world);
  const share = wr.map((r) => r.totals.valueShareOfOracle);
  const vsStatic = wr.map((r) => r.totals.vsStatic);
  const spend = wr.map((r) => r.totals.spendVsBudget);
  const over = wr.map((r) => r.totals.maxPeriodOverspend);
  const logged = wr.reduce((s, r) => s + r.totals.decisionsWithPropensity, 0);
  const decisions = wr.reduce((s, r) => s + r.totals.decisionsLogged, 0);
  const minProp = Math.min(...wr.map((r) => r.totals.minPropensity));
  const floor = wr[0]!.settings.floor;
  const valuePass = Math.min(...share) >= 0.85 && Math.min(...vsStatic) > 1;
  const spendPass = Math.max(...spend.map((s) => Math.abs(s - 1))) <= 0.01 && Math.max(...over) <= 0.05;
  const logPass = logged === decisions && minProp >= floor - 1e-9;
  cases.push({
    name: `${world}: decisions logged with propensity`,
    target: "100% logged with propensity; min propensity >= floor",
    pass: logPass,
    metrics: { runs: wr.length, decisions, logged_share: logged / decisions, min_propensity: minProp, floor },
  });
  cases.push({
    name: `${world}: value`,
    target: "cumulative true value >= 0.85 x sum of per-period oracle at the loop's true spend, and > static",
    pass: valuePass,
    metrics: {
      share_of_oracle_min: Math.min(...share),
      share_of_oracle_mean: mean(share),
      vs_static_min: Math.min(...vsStatic),
      vs_static_mean: mean(vsStatic),
      static_share_of_own_oracle_mean: mean(
        wr.map((r) => r.totals.static.trueValue / r.totals.static.oracleValue),
      ),
      static_first_to_last_period_share: mean(
        wr.map((r) => {
          const a = r.periods[0]!.static;
          const b = r.periods.at(-1)!.static;
          return b.trueValue / b.oracleValue / (a.trueValue / a.oracleValue);
        }),
      ),
      heuristic_share_of_own_oracle_mean: mean(
        wr.map((r) => r.totals.heuristic.trueValue / r.totals.heuristic.oracleValue),
      ),
      retrained_periods_mean: mean(wr.map((r) => r.periods.filter((p) => p.retrained).length)),
      ...validationMetrics(wr),
    },
  });
  cases.push({
    name: `${world}: spend`,
    target: "cumulative true spend within 1% of the budgets' sum; no period > 5% over its budget",
    pass: spendPass,
    metrics: {
      spend_vs_budgets_min: Math.min(...spend),
      spend_vs_budgets_max: Math.max(...spend),
      spend_vs_plan_mean: mean(wr.map((r) => r.totals.spendVsPlanned)),
      max_period_overspend: Math.max(...over),
      seconds_max: Math.max(...wr.map((r) => r.seconds)),
    },
  });
}
const opes = runs.flatMap((r) => r.periods.flatMap((p) => p.ope));
const coverage = opes.filter((c) => c.covered).length / opes.length;
const costCoverage = opes.filter((c) => c.costCovered).length / opes.length;
const byCandidate: Record<string, number> = {};
for (const name of new Set(opes.map((c) => c.candidate))) {
  const cs = opes.filter((c) => c.candidate === name);
  byCandidate[`coverage_${name.replace(/[^a-z]+/g, "_")}`] = cs.filter((c) => c.covered).length / cs.length;
}
cases.push({
  name: "all runs: OPE",
  target: "DR 95% intervals on the loop's own logs cover the candidates' true values 93-97% of the time",
  pass: coverage >= 0.93 && coverage <= 0.97,
  metrics: {
    intervals: opes.length,
    dr_value_coverage: coverage,
    dr_cost_coverage: costCoverage,
    ...byCandidate,
  },
});
recordSuite({
  suite: "runner-loop",
  description:
    "`cia loop` at default settings (8 periods x 10k units, 20k-unit warm-start pilot, exploration 0.025, floor 0.005, control floor 0.05, validated re-fit on drift) in the drift and default worlds, seeds 1-3: logging, value against the per-period oracle at the loop's own true spend and against the static policy, spend against the pacer's budgets, and DR coverage on the loop's own logs.",
  cases,
  notes: runs.map(
    (r) =>
      `${r.world} seed ${r.seed}: value/oracle ${r.totals.valueShareOfOracle.toFixed(3)}, vs static ${r.totals.vsStatic.toFixed(3)}, ` +
      `spend/budgets ${r.totals.spendVsBudget.toFixed(3)}, max period over ${r.totals.maxPeriodOverspend.toFixed(3)}, ` +
      `coverage ${r.totals.opeCoverage.toFixed(3)}, re-fits ${r.periods.filter((p) => p.retrained).length}, ${r.seconds.toFixed(0)} s; ` +
      `per period loop/oracle ${r.periods.map((p) => (p.trueValue / p.oracleValue).toFixed(2)).join(" ")}, static/own oracle ${r.periods
        .map((p) => (p.static.trueValue / p.static.oracleValue).toFixed(2))
        .join(" ")}`,
  ),
});

/** How the re-fit validations went: how many, how many rejected (and wrongly so), their interval's coverage. */
function validationMetrics(rs: LoopResult[]): Record<string, number> {
  const vs = rs.flatMap((r) => r.periods.flatMap((p) => (p.validation ? [p.validation] : [])));
  const rejected = vs.filter((v) => !v.adopted);
  return {
    validations: vs.length,
    validations_rejected: rejected.length,
    validations_rejected_though_better: rejected.filter((v) => v.truth > 0).length,
    validations_truly_worse: vs.filter((v) => v.truth < 0).length,
    validation_interval_coverage_90:
      vs.filter((v) => v.lower <= v.truth && v.truth <= v.upper).length / Math.max(1, vs.length),
    validation_mean_half_width: mean(vs.map((v) => (v.upper - v.lower) / 2)),
  };
}
