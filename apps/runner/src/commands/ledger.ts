import { DataValidationError } from "@cia/core";
import type { DataIssue } from "@cia/core";
import { readDecisions, readOutcomeEvents, writeTable } from "@cia/logging-schema";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { readScores } from "../io/scores-table.js";
import { usageError } from "../io/usage-error.js";
import { checkIsoTime } from "./labels.js";

export interface LedgerOptions {
  decisions: string;
  outcomes: string;
  scores?: string;
  predictedCost?: number;
  segment?: string;
  periodStart?: string;
  control: string;
  out: string;
}

const DAY_MS = 86_400_000;

/**
 * `cia ledger`: the offer ledger `cia pace` reads, from the decision and outcome logs. One row per
 * offer (a decision whose action is not the control), in decision order: `assigned_at` (days since
 * `--period-start`, default midnight UTC of the first decision), `segment` (a decision feature,
 * "(missing)" where a decision lacks it, or "all"), `predicted_cost` (the scores' tau_cost of that unit and action, or `--predicted-cost`),
 * `redeemed_at` (days, the first cost event of the decision; empty if none yet) and `realized_cost`
 * (the sum of its cost events). Cost events are matched by decision_id; those that match no offer
 * (no decision_id, an unknown one, a control decision) are counted in the summary, never dropped
 * silently.
 *
 * @example
 * await ledgerCommand({ decisions: "d.jsonl", outcomes: "o.jsonl", predictedCost: 5, control: "control", out: "ledger.csv" });
 */
export async function ledgerCommand(opts: LedgerOptions): Promise<void> {
  if ((opts.scores === undefined) === (opts.predictedCost === undefined))
    throw usageError("pass exactly one of --scores FILE (tau_cost per unit and offer) or --predicted-cost C");
  if (opts.periodStart !== undefined) checkIsoTime(opts.periodStart, "--period-start");
  guardPaths({
    inputs: { "--decisions": opts.decisions, "--outcomes": opts.outcomes, "--scores": opts.scores },
    outputs: { "--out": opts.out },
  });
  const scores = opts.scores ? await readScores(opts.scores, { control: opts.control }) : undefined;
  const scoreAt = new Map<string, number>();
  if (scores) {
    const A = scores.actions.length;
    scores.unitIds.forEach((u, i) => {
      scores.actions.forEach((a, k) => {
        const c = scores.tauCost[i * A + k]!;
        if (!Number.isNaN(c)) scoreAt.set(`${u}\u0000${a}`, c);
      });
    });
  }
  type Offer = {
    id: string;
    t: number;
    segment: string;
    predicted: number;
    redeemed: number;
    realized: number;
  };
  const offers: Offer[] = [];
  const byId = new Map<string, Offer | null>(); // null: a control decision
  const issues: DataIssue[] = [];
  let segmentMissing = 0;
  for await (const { line, record: d } of readDecisions(opts.decisions)) {
    if (d.action === opts.control) {
      byId.set(d.decision_id, null);
      continue;
    }
    let segment = "all";
    if (opts.segment !== undefined) {
      // A decision without the feature paces in a segment of its own, counted in the summary.
      const v = (d.features as Record<string, unknown> | undefined)?.[opts.segment];
      if (v === undefined || v === null) {
        segment = "(missing)";
        segmentMissing++;
      } else segment = String(v);
    }
    let predicted = opts.predictedCost ?? Number.NaN;
    if (scores) {
      const c = scoreAt.get(`${d.unit_id}\u0000${d.action}`);
      if (c === undefined) {
        if (issues.length < 20)
          issues.push({
            code: "missing_score",
            path: ["unit_id"],
            line,
            message: `no tau_cost for unit '${d.unit_id}' and action '${d.action}' in ${opts.scores}`,
          });
      } else predicted = Math.max(0, c);
    }
    const offer = {
      id: d.decision_id,
      t: Date.parse(d.decision_time),
      segment,
      predicted,
      redeemed: Number.NaN,
      realized: 0,
    };
    offers.push(offer);
    byId.set(d.decision_id, offer);
  }
  if (issues.length) throw new DataValidationError(issues, { file: opts.decisions });
  // A --control that names no logged action books every control decision as an offer.
  if (![...byId.values()].includes(null))
    throw usageError(
      `${opts.decisions}: --control '${opts.control}' matches no decision's action: every decision would be booked as an offer; pass the no-offer action's name as logged (--control NAME)`,
    );
  if (offers.length === 0)
    throw usageError(
      `${opts.decisions}: no decision gives an offer (every action is '${opts.control}'): no ledger to write`,
    );
  const events = {
    cost: 0,
    matched: 0,
    toControl: 0,
    unknownDecision: 0,
    noDecisionId: 0,
    beforeDecision: 0,
  };
  for await (const { record: o } of readOutcomeEvents(opts.outcomes)) {
    if (o.kind !== "cost") continue;
    events.cost++;
    if (o.decision_id === undefined) {
      events.noDecisionId++;
      continue;
    }
    const offer = byId.get(o.decision_id);
    if (offer === undefined) events.unknownDecision++;
    else if (offer === null) events.toControl++;
    else {
      const t = Date.parse(o.time);
      if (t < offer.t) {
        events.beforeDecision++;
        continue;
      }
      events.matched++;
      offer.redeemed = Number.isNaN(offer.redeemed) ? t : Math.min(offer.redeemed, t);
      offer.realized += o.amount;
    }
  }
  offers.sort((a, b) => a.t - b.t);
  const first = offers[0]!.t;
  const start =
    opts.periodStart !== undefined ? Date.parse(opts.periodStart) : Math.floor(first / DAY_MS) * DAY_MS;
  const days = (t: number) => (t - start) / DAY_MS;
  // Day 0 after a decision would give it a negative assigned_at that cia pace refuses.
  if (first < start)
    throw usageError(
      `--period-start ${opts.periodStart}: the first offer was decided at ${new Date(first).toISOString()}, before day 0 (assigned_at would be negative); pass a --period-start at or before it`,
    );
  const rows = offers.map((o) => ({
    assigned_at: days(o.t),
    segment: o.segment,
    predicted_cost: o.predicted,
    redeemed_at: Number.isNaN(o.redeemed) ? null : days(o.redeemed),
    realized_cost: Number.isNaN(o.redeemed) ? null : o.realized,
  }));
  await writeTable(opts.out, rows, {
    columns: ["assigned_at", "segment", "predicted_cost", "redeemed_at", "realized_cost"],
  });
  const unmatched = events.cost - events.matched;
  if (unmatched > 0)
    process.stderr.write(
      `warning: ${unmatched} of ${events.cost} cost event(s) match no offer (no decision_id ${events.noDecisionId}, unknown decision ${events.unknownDecision}, control decision ${events.toControl}, before the decision ${events.beforeDecision}); they are not in the ledger\n`,
    );
  printSummary({
    out: opts.out,
    offers: offers.length,
    redeemed: offers.filter((o) => !Number.isNaN(o.redeemed)).length,
    day_zero: new Date(start).toISOString(),
    last_assigned_day: days(offers[offers.length - 1]!.t),
    segment_missing: segmentMissing,
    predicted_cost: opts.scores
      ? `tau_cost from ${opts.scores} (negative estimates as 0)`
      : opts.predictedCost,
    events,
  });
}
