import { buildExperimentTable, readDecisions, readOutcomeEvents, writeTable } from "@cia/logging-schema";
import type { Decision, OutcomeEvent, ReadOptions } from "@cia/logging-schema";
import { printSummary } from "../io/print-summary.js";
import { usageError } from "../io/usage-error.js";

export interface LabelsOptions {
  decisions: string;
  outcomes: string;
  horizonDays: number;
  asOf?: string;
  rejects?: string;
  out: string;
}

/**
 * `cia labels`: validate the logs (strict, or quarantine with `--rejects`), join decisions with
 * outcome events over the learning horizon, and write the experiment table. Decisions whose window
 * has not closed by `--as-of` (default: the latest event time) are excluded and counted, never
 * labelled zero; every event's fate is counted in the summary.
 *
 * @example
 * await labelsCommand({ decisions: "d.jsonl", outcomes: "o.jsonl", horizonDays: 7, out: "table.csv" });
 */
export async function labelsCommand(opts: LabelsOptions): Promise<void> {
  if (!(opts.horizonDays > 0)) throw usageError(`--horizon-days must be > 0, got ${opts.horizonDays}`);
  const readOpts = (suffix: string): ReadOptions =>
    opts.rejects ? { mode: "quarantine", rejectsFile: `${opts.rejects}${suffix}` } : { mode: "strict" };
  const dReader = readDecisions(opts.decisions, readOpts(""));
  const decisions: Decision[] = [];
  for await (const { record } of dReader) decisions.push(record);
  const oReader = readOutcomeEvents(opts.outcomes, readOpts(".outcomes.jsonl"));
  const outcomes: OutcomeEvent[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  for await (const { record } of oReader) {
    outcomes.push(record);
    latest = Math.max(latest, Date.parse(record.time));
  }
  let asOf = opts.asOf;
  if (asOf === undefined) {
    for (const d of decisions) latest = Math.max(latest, Date.parse(d.decision_time));
    if (!Number.isFinite(latest))
      throw usageError("no decisions or outcome events to label: pass --as-of or non-empty logs");
    // Data is complete up to the last thing logged; one ms past it so that instant is included.
    asOf = new Date(latest + 1).toISOString();
  } else if (!Number.isFinite(Date.parse(asOf)))
    throw usageError(`--as-of must be an ISO 8601 time, got '${asOf}'`);
  const { rows, report } = buildExperimentTable(decisions, outcomes, { horizonDays: opts.horizonDays, asOf });
  const columns = ["unit_id", "action", "propensity", "value", "cost", ...report.featureColumns];
  await writeTable(opts.out, rows, { columns });
  printSummary({
    out: opts.out,
    rows: rows.length,
    horizon_days: opts.horizonDays,
    as_of: report.asOf,
    decisions: report.decisions,
    events: report.events,
    rejected: { decisions: dReader.summary?.rejected ?? 0, outcomes: oReader.summary?.rejected ?? 0 },
    warnings: report.issues.map((i) => i.message),
  });
}
