import { DataValidationError } from "@cia/core";
import type { DataIssue } from "@cia/core";
import { readTable, writeFileAtomic } from "@cia/logging-schema";
import { Pacer } from "@cia/pacer";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";

/** The ledger's columns besides the optional `segment`. */
const LEDGER_COLUMNS = ["assigned_at", "predicted_cost", "redeemed_at", "realized_cost"];

export interface PaceOptions {
  budget: number;
  days: number;
  day: number;
  history: string;
  periodStart: number;
  horizonDays: number;
  dailyCap?: number;
  out: string;
}

/**
 * `cia pace`: read the offer ledger, fit redemption timing (Kaplan-Meier, censored) and cost bias,
 * and write today's budget with its parts (spend to date, remaining liability, bias factors).
 *
 * @example
 * await paceCommand({ budget: 28000, days: 28, day: 5, history: "ledger.csv", periodStart: 0, horizonDays: 14, out: "pace.json" });
 */
export async function paceCommand(opts: PaceOptions): Promise<void> {
  guardPaths({ inputs: { "--history": opts.history }, outputs: { "--out": opts.out } });
  if (opts.day >= opts.days)
    throw new DataValidationError([
      {
        code: "usage",
        path: ["--day"],
        message: `--day must be below --days (${opts.days}), got ${opts.day}`,
      },
    ]);
  const assignedAt: number[] = [];
  const segment: number[] = [];
  const segments: string[] = [];
  const segIndex = new Map<string, number>();
  const predictedCost: number[] = [];
  const redeemedAt: number[] = [];
  const realizedCost: number[] = [];
  const issues: DataIssue[] = [];
  const num = (v: unknown, field: string, line: number, allowEmpty: boolean): number => {
    const s = v === null || v === undefined ? "" : String(v).trim();
    if (s === "" && allowEmpty) return Number.NaN;
    const x = Number(s);
    if (s === "" || !Number.isFinite(x))
      issues.push({
        code: "not_finite",
        path: [field],
        line,
        message: `${field} must be a finite number, got '${s}'`,
      });
    return x;
  };
  const jsonl = /\.(jsonl|ndjson)(\.gz)?$/i.test(opts.history);
  const nonNegative = (x: number, field: string, line: number): void => {
    if (x < 0)
      issues.push({
        code: "negative_cost",
        path: [field],
        line,
        message: `${field} must be >= 0, got ${x} (a refund is not a cost of the offer: net it out upstream)`,
      });
  };
  let rows = 0;
  // segment stays a string ("007" is a name, not 7); an empty one is "all".
  for await (const { line, record: values } of readTable(opts.history, { stringColumns: ["segment"] })) {
    if (rows++ === 0 && !jsonl) {
      // A CSV header names every column: one that is absent would silently mean "never redeemed".
      const missing = LEDGER_COLUMNS.filter((c) => !(c in values));
      if (missing.length > 0)
        throw new DataValidationError(
          missing.map((c) => ({
            code: "missing_column",
            path: [c],
            line: 1,
            message: `missing column '${c}' (a ledger has ${LEDGER_COLUMNS.join(", ")} and optionally segment)`,
          })),
          { file: opts.history },
        );
    }
    const seg = String(values.segment ?? "all");
    if (!segIndex.has(seg)) {
      segIndex.set(seg, segments.length);
      segments.push(seg);
    }
    const at = num(values.assigned_at, "assigned_at", line, false);
    // Days since day 0 of the period: an offer before day 0 belongs to another period.
    if (at < 0)
      issues.push({
        code: "out_of_range",
        path: ["assigned_at"],
        line,
        message: `assigned_at must be >= 0 (days since the period start), got ${at}: the offer is before day 0; rebuild the ledger with an earlier --period-start`,
      });
    assignedAt.push(at);
    segment.push(segIndex.get(seg)!);
    const predicted = num(values.predicted_cost, "predicted_cost", line, false);
    nonNegative(predicted, "predicted_cost", line);
    predictedCost.push(predicted);
    const r = num(values.redeemed_at, "redeemed_at", line, true);
    redeemedAt.push(r);
    const realized = Number.isNaN(r) ? 0 : num(values.realized_cost, "realized_cost", line, false);
    nonNegative(realized, "realized_cost", line);
    realizedCost.push(realized);
    if (issues.length >= 20) break;
  }
  if (rows === 0)
    issues.push({
      code: "empty_table",
      path: [],
      message: `the ledger has no rows (a header alone is not a ledger; with no offers yet, today's budget is simply --budget / --days)`,
    });
  if (issues.length) throw new DataValidationError(issues, { file: opts.history });
  const pacer = new Pacer({
    periodBudget: opts.budget,
    periodDays: opts.days,
    periodStart: opts.periodStart,
    horizonDays: opts.horizonDays,
    dailyCap: opts.dailyCap,
  });
  const plan = pacer.plan(
    { assignedAt, segment, segments, predictedCost, redeemedAt, realizedCost },
    opts.day,
  );
  const out = {
    day: plan.day,
    budget_today: plan.budget,
    model_budget_today: plan.modelBudget,
    period_budget: opts.budget,
    spend_to_date: plan.spendToDate,
    remaining_liability: plan.remainingLiability,
    available: plan.available,
    overcommitted: plan.overcommitted,
    capped: plan.capped,
    timing: plan.timing.toJSON(),
    bias: plan.bias.toJSON(),
  };
  await writeFileAtomic(opts.out, `${JSON.stringify(out, null, 2)}\n`);
  printSummary({
    out: opts.out,
    day: out.day,
    budget_today: out.budget_today,
    spend_to_date: out.spend_to_date,
    remaining_liability: out.remaining_liability,
    offers: assignedAt.length,
  });
}
