import { CiaError, type DataIssue, DataValidationError } from "@cia/core";
import type { LoggingSchemaErrorCode } from "./error-codes.js";
import type { Decision, FeatureValue } from "./decision-schema.js";
import type { CostDefinition, OutcomeEvent } from "./outcome-event-schema.js";

const DAY_MS = 86_400_000;
const LABEL_COLUMNS = ["unit_id", "action", "propensity", "value", "cost", "decision_id", "decision_time"];

/**
 * How an outcome event finds its decision:
 * - `decision_id_then_unit` (default): by its `decision_id` when it has one, otherwise by unit and
 *   time (the unit's latest decision at or before the event whose window contains it);
 * - `decision_id`: only events carrying a `decision_id` count;
 * - `unit_window`: ignore `decision_id`; unit and time only.
 */
export type AttributionRule = "decision_id_then_unit" | "decision_id" | "unit_window";

/** Options of {@link buildExperimentTable}. */
export interface BuildExperimentTableOptions {
  /** Label window length in days of 24 h: an event counts when decision_time <= time < decision_time + horizon. */
  horizonDays: number;
  /**
   * When the data is complete up to. Decisions whose window has not closed by then
   * (decision_time + horizon > asOf) are censored: excluded and counted, never labelled zero.
   * Events after it are ignored (and counted), so a rebuild as of the same time gives the same table.
   */
  asOf: string | Date;
  /** Default `decision_id_then_unit`. */
  attribution?: AttributionRule | undefined;
  /** Only value events of this `metric` count (others are counted as `otherMetric`). */
  valueMetric?: string | undefined;
  /**
   * Only cost events of this definition count (others, including ones without a definition, are
   * counted as `otherCostDefinition`). Without it, mixing definitions among attributed events is
   * reported as a `mixed_cost_definitions` issue, because it usually double counts.
   */
  costDefinition?: CostDefinition | undefined;
  /** Only decisions of this program (others are counted as `otherProgram`). */
  program?: string | undefined;
  /** Add `decision_id` and `decision_time` columns (not feature columns of the experiment table). */
  includeIds?: boolean | undefined;
}

/**
 * One experiment-table row, the table's row form (as label building and the simulator write it):
 * unit_id, action (a name), propensity, value, cost, then the features. The columnar form that
 * stages read is `ExperimentTable`.
 */
export type ExperimentTableRow = {
  unit_id: string;
  action: string;
  propensity: number;
  value: number;
  cost: number;
  decision_id?: string;
  decision_time?: string;
} & Record<string, FeatureValue | undefined>;

/** Counts of what label building did with every decision and event; nothing is dropped uncounted. */
export interface LabelReport {
  horizonDays: number;
  asOf: string;
  attribution: AttributionRule;
  decisions: {
    /** Decisions given. */
    total: number;
    /** Rows of the table. */
    labelled: number;
    /** Window not closed by asOf: excluded, not labelled zero. */
    censored: number;
    /** Filtered out by `program`. */
    otherProgram: number;
    /** Labelled rows without inline features (feature_ref only): the features must be joined from the store. */
    featuresByReference: number;
  };
  events: {
    /** Events given. */
    total: number;
    /** Counted in a label. */
    attributed: number;
    /** ...of which via decision_id. */
    byDecisionId: number;
    /** ...of which via unit and time. */
    byUnitWindow: number;
    /** Attributed to a censored decision (so not in the table). */
    toCensoredDecision: number;
    /** Their decision_id names a decision of another program. */
    toOtherProgram: number;
    /** Before their decision's decision_time. */
    beforeDecision: number;
    /** At or after their decision's window end. */
    afterWindow: number;
    /** After asOf. */
    afterAsOf: number;
    /** decision_id not among the decisions. */
    unknownDecision: number;
    /** decision_id's decision belongs to another unit. */
    unitMismatch: number;
    /** No decision_id (under rule `decision_id`) or no unit window containing them. */
    unattributed: number;
    /** Value events of another metric. */
    otherMetric: number;
    /** Cost events of another cost definition. */
    otherCostDefinition: number;
  };
  /** Feature columns of the rows, in first-seen order. */
  featureColumns: string[];
  /**
   * Indices into `outcomes` of the events whose decision_id names no decision (counted in
   * `events.unknownDecision`), so a caller can quarantine them with their lines.
   */
  unknownDecisionEvents: number[];
  /** Warnings (e.g. `mixed_cost_definitions`). */
  issues: DataIssue[];
}

/**
 * What label building returns: the experiment table in row form (one labelled row per decision
 * whose window closed) and the report counting what happened to every decision and event. Write
 * the rows with `writeTable`; read them back, columnar, with `readExperimentTable`.
 */
export interface LabelBuildResult {
  rows: ExperimentTableRow[];
  report: LabelReport;
}

/**
 * Join decisions with outcome events into the experiment table for ONE horizon: one row per
 * decision whose window [decision_time, decision_time + horizonDays) closed by `asOf`, with
 * `value` and `cost` the sums of the attributed value and cost amounts in that window (0 when
 * there were none: the window is complete, so zero is an observation). Decisions still inside
 * their window are censored: excluded and counted, never labelled zero.
 *
 * Attribution (see {@link AttributionRule}): an event with a `decision_id` goes to that decision
 * if it is the same unit and inside its window (else it is counted as `unitMismatch`,
 * `beforeDecision` or `afterWindow`). An event without one goes to its unit's latest decision at or
 * before the event (last touch), if the event is inside that decision's window; else it is
 * `unattributed`. Each event counts at most once. The label is intent-to-treat: `action` is the
 * assigned action; realized treatment is not used here.
 *
 * Use {@link buildHorizonTables} for a learning and an accounting horizon at once.
 *
 * @example
 * const { rows, report } = buildExperimentTable(decisions, outcomes, { horizonDays: 7, asOf: "2026-02-01T00:00:00Z" });
 * report.decisions.censored; // decisions made after 2026-01-25 (window still open)
 */
export function buildExperimentTable(
  decisions: readonly Decision[],
  outcomes: readonly OutcomeEvent[],
  options: BuildExperimentTableOptions,
): LabelBuildResult {
  const { horizonDays } = options;
  if (!(Number.isFinite(horizonDays) && horizonDays > 0)) {
    throw new CiaError<LoggingSchemaErrorCode>(
      "invalid_option",
      `horizonDays must be a positive number, got ${horizonDays}`,
      {
        horizonDays,
      },
    );
  }
  const asOfMs = options.asOf instanceof Date ? options.asOf.getTime() : Date.parse(options.asOf);
  if (!Number.isFinite(asOfMs)) {
    throw new CiaError<LoggingSchemaErrorCode>(
      "invalid_option",
      `asOf must be a date or an ISO 8601 string, got ${String(options.asOf)}`,
      {
        asOf: String(options.asOf),
      },
    );
  }
  const attribution = options.attribution ?? "decision_id_then_unit";
  const horizonMs = horizonDays * DAY_MS;

  const report: LabelReport = {
    horizonDays,
    asOf: new Date(asOfMs).toISOString(),
    attribution,
    decisions: { total: decisions.length, labelled: 0, censored: 0, otherProgram: 0, featuresByReference: 0 },
    events: {
      total: outcomes.length,
      attributed: 0,
      byDecisionId: 0,
      byUnitWindow: 0,
      toCensoredDecision: 0,
      toOtherProgram: 0,
      beforeDecision: 0,
      afterWindow: 0,
      afterAsOf: 0,
      unknownDecision: 0,
      unitMismatch: 0,
      unattributed: 0,
      otherMetric: 0,
      otherCostDefinition: 0,
    },
    featureColumns: [],
    unknownDecisionEvents: [],
    issues: [],
  };

  // Index the decisions of the program: by id, and per unit sorted by time.
  const n = decisions.length;
  const time = new Float64Array(n);
  const inProgram = new Uint8Array(n);
  const censored = new Uint8Array(n);
  const byId = new Map<string, number>();
  const byUnit = new Map<string, number[]>();
  const duplicates: DataIssue[] = [];
  for (let i = 0; i < n; i++) {
    const d = decisions[i]!;
    if (byId.has(d.decision_id)) {
      duplicates.push({
        code: "duplicate_decision_id",
        path: ["decisions", i, "decision_id"],
        message: `decision_id "${d.decision_id}" appears twice (first at index ${byId.get(d.decision_id)})`,
      });
      continue;
    }
    byId.set(d.decision_id, i);
    time[i] = Date.parse(d.decision_time);
    if (options.program !== undefined && d.program !== options.program) {
      report.decisions.otherProgram++;
      continue;
    }
    inProgram[i] = 1;
    if (time[i]! + horizonMs > asOfMs) {
      censored[i] = 1;
      report.decisions.censored++;
    }
    let list = byUnit.get(d.unit_id);
    if (list === undefined) byUnit.set(d.unit_id, (list = []));
    list.push(i);
  }
  if (duplicates.length > 0) throw new DataValidationError(duplicates);
  for (const list of byUnit.values()) list.sort((a, b) => time[a]! - time[b]! || a - b);

  const value = new Float64Array(n);
  const cost = new Float64Array(n);
  const seenEvents = new Set<string>();
  const costDefinitions = new Set<string>();
  const ev = report.events;
  for (let e = 0; e < outcomes.length; e++) {
    const o = outcomes[e]!;
    if (seenEvents.has(o.event_id)) {
      throw new DataValidationError([
        {
          code: "duplicate_event_id",
          path: ["outcomes", e, "event_id"],
          message: `event_id "${o.event_id}" appears twice`,
        },
      ]);
    }
    seenEvents.add(o.event_id);
    const t = Date.parse(o.time);
    if (t > asOfMs) {
      ev.afterAsOf++;
      continue;
    }
    if (o.kind === "value" && options.valueMetric !== undefined && o.metric !== options.valueMetric) {
      ev.otherMetric++;
      continue;
    }
    if (
      o.kind === "cost" &&
      options.costDefinition !== undefined &&
      o.cost_definition !== options.costDefinition
    ) {
      ev.otherCostDefinition++;
      continue;
    }
    let target = -1;
    let viaId = false;
    if (o.decision_id !== undefined && attribution !== "unit_window") {
      const i = byId.get(o.decision_id);
      if (i === undefined) {
        ev.unknownDecision++;
        report.unknownDecisionEvents.push(e);
        continue;
      }
      if (!inProgram[i]) {
        ev.toOtherProgram++;
        continue;
      }
      if (decisions[i]!.unit_id !== o.unit_id) {
        ev.unitMismatch++;
        continue;
      }
      if (t < time[i]!) {
        ev.beforeDecision++;
        continue;
      }
      if (t >= time[i]! + horizonMs) {
        ev.afterWindow++;
        continue;
      }
      target = i;
      viaId = true;
    } else if (attribution === "decision_id") {
      ev.unattributed++;
      continue;
    } else {
      const list = byUnit.get(o.unit_id);
      // Latest decision at or before t (binary search over the unit's time-sorted decisions).
      let lo = 0;
      let hi = list === undefined ? 0 : list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (time[list![mid]!]! <= t) lo = mid + 1;
        else hi = mid;
      }
      const i = lo > 0 ? list![lo - 1]! : -1;
      if (i < 0 || t >= time[i]! + horizonMs) {
        ev.unattributed++;
        continue;
      }
      target = i;
    }
    if (censored[target]) {
      ev.toCensoredDecision++;
      continue;
    }
    ev.attributed++;
    if (viaId) ev.byDecisionId++;
    else ev.byUnitWindow++;
    if (o.kind === "value") value[target]! += o.amount;
    else {
      cost[target]! += o.amount;
      costDefinitions.add(o.cost_definition ?? "(none)");
    }
    // Finite amounts can add up past the float range: never write Infinity into a table.
    if (!Number.isFinite(o.kind === "value" ? value[target]! : cost[target]!))
      throw new DataValidationError([
        {
          code: "not_finite",
          path: ["outcomes", e, "amount"],
          message: `event "${o.event_id}": amount ${o.amount} makes the ${o.kind} of decision "${decisions[target]!.decision_id}" overflow (not a finite number): check the amounts' units`,
        },
      ]);
  }
  if (options.costDefinition === undefined && costDefinitions.size > 1) {
    report.issues.push({
      code: "mixed_cost_definitions",
      path: ["outcomes", "cost_definition"],
      message: `attributed cost events mix definitions [${[...costDefinitions].sort().join(", ")}]; summing them usually double counts: pass costDefinition`,
    });
  }

  // Feature columns: the union in first-seen order, so every row has the same keys.
  const featureColumns: string[] = [];
  const known = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!inProgram[i] || censored[i]) continue;
    const f = decisions[i]!.features;
    if (f === undefined) continue;
    for (const key of Object.keys(f)) {
      if (known.has(key)) continue;
      if (LABEL_COLUMNS.includes(key)) {
        throw new CiaError<LoggingSchemaErrorCode>(
          "feature_name_collision",
          `feature "${key}" collides with an experiment-table column`,
          {
            feature: key,
          },
        );
      }
      known.add(key);
      featureColumns.push(key);
    }
  }
  report.featureColumns = featureColumns;

  const rows: ExperimentTableRow[] = [];
  for (let i = 0; i < n; i++) {
    if (!inProgram[i] || censored[i] || byId.get(decisions[i]!.decision_id) !== i) continue;
    const d = decisions[i]!;
    const row: ExperimentTableRow = {
      unit_id: d.unit_id,
      action: d.action,
      propensity: d.propensity,
      value: value[i]!,
      cost: cost[i]!,
    };
    if (options.includeIds) {
      row.decision_id = d.decision_id;
      row.decision_time = d.decision_time;
    }
    if (d.features === undefined && d.feature_ref !== undefined) report.decisions.featuresByReference++;
    for (const key of featureColumns)
      row[key] = d.features !== undefined && Object.hasOwn(d.features, key) ? d.features[key]! : null;
    rows.push(row);
  }
  report.decisions.labelled = rows.length;
  return { rows, report };
}

/** Options of {@link buildHorizonTables}. */
export interface BuildHorizonTablesOptions extends Omit<BuildExperimentTableOptions, "horizonDays"> {
  /** Short window for training labels (ranking proxies), e.g. 7. */
  learningHorizonDays: number;
  /** Long window for reporting and planning, e.g. 28. */
  accountingHorizonDays: number;
}

/**
 * The learning table and the accounting table from the same logs ("Labels and horizons": learning
 * horizon and accounting horizon are different objects). Each has its own censoring: a decision
 * can be labelled for 7 days and still be censored for 28.
 *
 * @example
 * const { learning, accounting } = buildHorizonTables(decisions, outcomes,
 *   { learningHorizonDays: 7, accountingHorizonDays: 28, asOf: "2026-03-01T00:00:00Z" });
 */
export function buildHorizonTables(
  decisions: readonly Decision[],
  outcomes: readonly OutcomeEvent[],
  options: BuildHorizonTablesOptions,
): { learning: LabelBuildResult; accounting: LabelBuildResult } {
  const { learningHorizonDays, accountingHorizonDays, ...rest } = options;
  return {
    learning: buildExperimentTable(decisions, outcomes, { ...rest, horizonDays: learningHorizonDays }),
    accounting: buildExperimentTable(decisions, outcomes, { ...rest, horizonDays: accountingHorizonDays }),
  };
}
