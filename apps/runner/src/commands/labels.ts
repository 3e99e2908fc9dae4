import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import {
  buildExperimentTable,
  readDecisions,
  readOutcomeEvents,
  writeFileAtomic,
  writeTable,
} from "@cia/logging-schema";
import type { Decision, OutcomeEvent, ReadOptions } from "@cia/logging-schema";
import { guardPaths } from "../io/guard-paths.js";
import { DataValidationError } from "@cia/core";
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
  guardPaths({
    inputs: { "--decisions": opts.decisions, "--outcomes": opts.outcomes },
    outputs: {
      "--out": opts.out,
      "--rejects": opts.rejects,
      "--rejects (outcomes)": opts.rejects === undefined ? undefined : `${opts.rejects}.outcomes.jsonl`,
    },
  });
  if (opts.asOf !== undefined) checkIsoTime(opts.asOf, "--as-of");
  // The quarantine files are written beside their final names and renamed only once the table is
  // written: a run that fails part-way leaves no rejects behind (nor replaces earlier ones).
  const staged = opts.rejects
    ? {
        decisions: `${opts.rejects}.${process.pid}.staged`,
        outcomes: `${opts.rejects}.outcomes.jsonl.${process.pid}.staged`,
      }
    : undefined;
  try {
    await label(opts, staged);
    if (staged && opts.rejects) {
      renameSync(staged.decisions, opts.rejects);
      renameSync(staged.outcomes, `${opts.rejects}.outcomes.jsonl`);
    }
  } finally {
    if (staged) for (const tmp of Object.values(staged)) rmSync(tmp, { force: true });
  }
}

async function label(
  opts: LabelsOptions,
  staged: { decisions: string; outcomes: string } | undefined,
): Promise<void> {
  const readOpts = (which: "decisions" | "outcomes"): ReadOptions =>
    staged ? { mode: "quarantine", rejectsFile: staged[which] } : { mode: "strict" };
  const dReader = readDecisions(opts.decisions, readOpts("decisions"));
  const decisions: Decision[] = [];
  for await (const { record } of dReader) decisions.push(record);
  const oReader = readOutcomeEvents(opts.outcomes, readOpts("outcomes"));
  const outcomes: OutcomeEvent[] = [];
  const outcomeLines: number[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  for await (const { line, record } of oReader) {
    outcomes.push(record);
    outcomeLines.push(line);
    latest = Math.max(latest, Date.parse(record.time));
  }
  let asOf = opts.asOf;
  if (asOf === undefined) {
    for (const d of decisions) latest = Math.max(latest, Date.parse(d.decision_time));
    if (!Number.isFinite(latest))
      throw usageError("no decisions or outcome events to label: pass --as-of or non-empty logs");
    // Data is complete up to the last thing logged; one ms past it so that instant is included.
    asOf = new Date(latest + 1).toISOString();
  }
  const { rows, report } = buildExperimentTable(decisions, outcomes, { horizonDays: opts.horizonDays, asOf });
  if (decisions.length === 0) {
    const rejected = dReader.summary?.rejected ?? 0;
    throw new DataValidationError(
      [
        {
          code: "empty_table",
          path: [],
          message: `no valid decisions${rejected > 0 ? ` (${rejected} rejected, see --rejects)` : ""}: nothing to label`,
        },
      ],
      { file: opts.decisions },
    );
  }
  const negative = rows.filter((r) => (r.cost as number) < 0);
  if (negative.length > 0)
    // The experiment table refuses a negative cost (train would stop on this file): say it here,
    // where the events that net below zero can be fixed.
    throw new DataValidationError(
      negative.slice(0, 20).map((r) => ({
        code: "negative_cost",
        path: ["cost"],
        message: `the decision of unit '${r.unit_id}' nets a cost of ${r.cost} from its cost events: a refund larger than the cost? net refunds out upstream or drop those events`,
      })),
      { file: opts.outcomes },
    );
  if (rows.length === 0)
    throw usageError(
      `no decision's ${opts.horizonDays}-day window has closed by ${report.asOf} (${report.decisions.censored} censored, ${report.decisions.otherProgram} of another program): nothing to label; pass a later --as-of or a shorter --horizon-days`,
    );
  const columns = ["unit_id", "action", "propensity", "value", "cost", ...report.featureColumns];
  const warnings = report.issues.map((i) => i.message);
  if (outcomes.length === 0)
    warnings.push(`${opts.outcomes} has no outcome events: every label is 0 (is it the right file?)`);
  const unknown = report.unknownDecisionEvents;
  if (unknown.length > 0) {
    const first = unknown
      .slice(0, 3)
      .map((e) => `${opts.outcomes}:${outcomeLines[e]}`)
      .join(", ");
    warnings.push(
      `${unknown.length} outcome event(s) name a decision_id that is not among the decisions (not attributed; first at ${first})${opts.rejects ? `; quarantined in ${opts.rejects}.outcomes.jsonl` : "; pass --rejects FILE to quarantine them"}`,
    );
  }
  // Several decisions of one unit are a faithful record of the logs, so they are kept (one row per
  // decision), but train, score and split need one row per unit: count them and say so here.
  const seenUnits = new Set<string>();
  const repeated = new Set<string>();
  let duplicateRows = 0;
  for (const r of rows) {
    const uid = String(r.unit_id);
    if (seenUnits.has(uid)) {
      duplicateRows++;
      repeated.add(uid);
    } else seenUnits.add(uid);
  }
  if (duplicateRows > 0)
    warnings.push(
      `${duplicateRows} row(s) repeat a unit_id (${repeated.size} unit(s) with several decisions, first '${[...repeated][0]}'): train, score and split refuse duplicate units; keep one decision per unit or give repeated decisions their own unit_id`,
    );
  if (staged && unknown.length > 0) {
    // The reader's quarantine file is complete by now: the events it could not attribute join it,
    // each with its line and reason, so every event that is not in the table is accounted for.
    const file = staged.outcomes;
    const before = existsSync(file) ? readFileSync(file, "utf8") : "";
    const added = unknown.map((e) =>
      JSON.stringify({
        file: opts.outcomes,
        line: outcomeLines[e],
        issues: [
          {
            code: "unknown_decision",
            path: ["decision_id"],
            line: outcomeLines[e],
            message: `decision_id '${outcomes[e]!.decision_id}' names no decision in ${opts.decisions}`,
          },
        ],
        raw: JSON.stringify(outcomes[e]),
      }),
    );
    await writeFileAtomic(file, `${before}${added.join("\n")}\n`);
  }
  await writeTable(opts.out, rows, { columns });
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  printSummary({
    out: opts.out,
    rows: rows.length,
    horizon_days: opts.horizonDays,
    as_of: report.asOf,
    decisions: report.decisions,
    events: report.events,
    rejected: {
      decisions: dReader.summary?.rejected ?? 0,
      outcomes: (oReader.summary?.rejected ?? 0) + (opts.rejects ? unknown.length : 0),
    },
    duplicate_unit_rows: duplicateRows,
    warnings,
  });
}

/** ISO 8601 as the logs write it: a date, or a date and time with `Z` or an offset. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * Refuse a time that is not ISO 8601 (`Dec 1 2026`, `1`, a date-time without a zone, a day that
 * does not exist): `Date.parse` would take them, in the local zone or as a year.
 *
 * @example
 * checkIsoTime("2026-12-01T00:00:00Z", "--as-of"); // ok
 * checkIsoTime("Dec 1 2026", "--as-of"); // throws a usage error (exit 2)
 */
export function checkIsoTime(raw: string, flag: string): void {
  const m = ISO_TIME.exec(raw.trim());
  const day = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const real =
    m !== null && Number.isFinite(midnight) && new Date(midnight).toISOString().slice(0, 10) === day;
  if (!real || !Number.isFinite(Date.parse(raw)))
    throw usageError(
      `${flag} must be an ISO 8601 date or time with a zone, such as 2026-12-01 or 2026-12-01T00:00:00Z, got '${raw}'`,
    );
}
