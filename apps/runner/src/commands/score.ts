import { type DataIssue, formatIssues } from "@cia/core";
import { scanExperimentTable, tableFileFormat, writeEffectTable } from "@cia/table-io";
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
  // Chunk by chunk: read, check and predict a block of units and write its rows, so memory is the
  // model and one block, not the file; the output is written atomically, so a bad row in a later
  // block leaves no partial scores.
  let units = 0;
  let issueCount = 0;
  const issues: DataIssue[] = [];
  // --report-only: a unit whose features break the contract gets no score row (its prediction is
  // NaN, which allocate would refuse); it is counted and named below, and allocate leaves it out.
  const skipped: string[] = [];
  // Values outside the contract's range that the contract clips: counted per feature, not silent.
  const clipped: Record<string, number> = {};
  const mode = opts.reportOnly ? "report" : "refuse";
  async function* blocks() {
    for await (const table of scanExperimentTable(opts.data, { features: seg ? [...names, seg] : names })) {
      if (units === 0) progress.next("check the contract and predict");
      const {
        prediction: p,
        inputs,
        issueCount: count,
        issues: found,
        rowOk,
      } = scoreCiaModel(model, table, { mode });
      for (const [f, m] of Object.entries(inputs.monitoring))
        if (m.clipped > 0) clipped[f] = (clipped[f] ?? 0) + m.clipped;
      units += table.n;
      issueCount += count;
      for (const issue of found) if (issues.length < 20) issues.push(issue);
      for (let i = 0; i < table.n; i++) if (!rowOk[i]) skipped.push(table.unitIds[i]!);
      const iv = p.intervals;
      // No cost head: tau_cost is 0, as before.
      const cost = p.tauCost ?? new Float64Array(p.tauValue.length);
      const columns = [
        { name: "tau_value", values: p.tauValue },
        { name: "tau_cost", values: cost },
      ];
      if (iv) {
        columns.push({ name: "tau_value_lower", values: iv.tauValueLower });
        columns.push({ name: "tau_value_upper", values: iv.tauValueUpper });
        if (p.tauCost !== null) {
          columns.push({ name: "tau_cost_lower", values: iv.tauCostLower! });
          columns.push({ name: "tau_cost_upper", values: iv.tauCostUpper! });
        }
      }
      yield { unitIds: table.unitIds, actions: model.file.actions, columns, include: rowOk };
    }
    progress.next("write scores");
  }
  const format = tableFileFormat(opts.out) === "parquet" ? "parquet" : "csv";
  const written = (await writeEffectTable(opts.out, blocks(), { format })).rows;
  progress.done();
  if (skipped.length > 0)
    process.stderr.write(
      `warning: ${skipped.length} unit(s) not scored (features outside the contract: ${skipped.slice(0, 5).join(", ")}${skipped.length > 5 ? ", ..." : ""}); they have no rows in ${opts.out}, so allocate gives them no offer\n`,
    );
  const nClipped = Object.values(clipped).reduce((a, b) => a + b, 0);
  if (nClipped > 0)
    process.stderr.write(
      `warning: ${nClipped} feature value(s) outside the contract's range were clipped into it (${Object.entries(
        clipped,
      )
        .map(([f, c]) => `${f}: ${c}`)
        .join(", ")}): the model never saw such values; check the data or retrain\n`,
    );
  if (issueCount > 0)
    process.stderr.write(
      `warning: ${issueCount} feature contract violation(s) (reported, not refused, with --report-only):\n${formatIssues(issues)}\n`,
    );
  printSummary({
    out: opts.out,
    units,
    rows: written,
    actions: model.file.actions.slice(1),
    contract_hash: model.file.contract_hash,
    contract_violations: issueCount,
    clipped_values: clipped,
    units_not_scored: skipped.length,
  });
}
