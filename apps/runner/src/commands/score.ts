import { formatIssues } from "@cia/core";
import { readExperimentTable, writeTable } from "@cia/logging-schema";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { stageProgress } from "../io/progress-bar.js";
import { loadCiaModel, scoreCiaModel } from "@cia/model";

export interface ScoreCommandOptions {
  model: string;
  data: string;
  out: string;
  reportOnly?: boolean;
}

/**
 * `cia score`: load the model without retraining, validate the units against its feature contract
 * (refuse by default; `--report-only` scores the units that meet it, reports the violations and
 * leaves the others out rather than write NaN), and write one row per unit and non-control action with tau_value, tau_cost and their bootstrap intervals.
 *
 * @example
 * await scoreCommand({ model: "model.json", data: "units.csv", out: "scores.csv" });
 */
export async function scoreCommand(opts: ScoreCommandOptions): Promise<void> {
  guardPaths({ inputs: { "--model": opts.model, "--data": opts.data }, outputs: { "--out": opts.out } });
  const model = loadCiaModel(opts.model);
  const names = model.file.contract.features.map((f) => f.name);
  const seg = model.file.segment?.column;
  const progress = stageProgress("score", ["read units", "check the contract and predict", "write scores"]);
  progress.next("read units");
  const table = await readExperimentTable(opts.data, { features: seg ? [...names, seg] : names });
  progress.next("check the contract and predict");
  const {
    prediction: p,
    issueCount,
    issues,
    rowOk,
  } = scoreCiaModel(model, table, { mode: opts.reportOnly ? "report" : "refuse" });
  progress.next("write scores");
  // --report-only: a unit whose features break the contract gets no score row (its prediction is
  // NaN, which allocate would refuse); it is counted and named below, and allocate leaves it out.
  const skipped: string[] = [];
  for (let i = 0; i < table.n; i++) if (!rowOk[i]) skipped.push(table.unitIds[i]!);
  const K = p.nActions;
  const hasCost = p.tauCost !== null;
  const iv = p.intervals;
  const columns = ["unit_id", "action", "tau_value", "tau_cost"];
  if (iv)
    columns.push(
      "tau_value_lower",
      "tau_value_upper",
      ...(hasCost ? ["tau_cost_lower", "tau_cost_upper"] : []),
    );
  const rows = function* () {
    for (let i = 0; i < table.n; i++) {
      if (!rowOk[i]) continue;
      for (let a = 1; a < K; a++) {
        const j = i * K + a;
        const r: Record<string, string | number> = {
          unit_id: table.unitIds[i]!,
          action: model.file.actions[a]!,
          tau_value: p.tauValue[j]!,
          tau_cost: hasCost ? p.tauCost![j]! : 0,
        };
        if (iv) {
          r.tau_value_lower = iv.tauValueLower[j]!;
          r.tau_value_upper = iv.tauValueUpper[j]!;
          if (hasCost) {
            r.tau_cost_lower = iv.tauCostLower![j]!;
            r.tau_cost_upper = iv.tauCostUpper![j]!;
          }
        }
        yield r;
      }
    }
  };
  const written = (await writeTable(opts.out, rows(), { columns, format: "csv" })).rows;
  progress.done();
  if (skipped.length > 0)
    process.stderr.write(
      `warning: ${skipped.length} unit(s) not scored (features outside the contract: ${skipped.slice(0, 5).join(", ")}${skipped.length > 5 ? ", ..." : ""}); they have no rows in ${opts.out}, so allocate gives them no offer\n`,
    );
  if (issueCount > 0)
    process.stderr.write(
      `warning: ${issueCount} feature contract violation(s) (reported, not refused, with --report-only):\n${formatIssues(issues)}\n`,
    );
  printSummary({
    out: opts.out,
    units: table.n,
    rows: written,
    actions: model.file.actions.slice(1),
    contract_hash: model.file.contract_hash,
    contract_violations: issueCount,
    units_not_scored: skipped.length,
  });
}
