import { CiaError } from "@cia/core";
import type {
  ConcurrentAssignment,
  Decision,
  DesignKind,
  OutcomeEvent,
  RealizedTreatment,
} from "@cia/logging-schema";
import type { Population, SimulatedLog, World } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/** A Decision record of @cia/logging-schema (schema_version 1). */
export type DecisionRecord = Decision;
/** A realized-treatment record of @cia/logging-schema: delivered, seen, redeemed. */
export type RealizedTreatmentRecord = RealizedTreatment;
/** An outcome event record of @cia/logging-schema. */
export type OutcomeEventRecord = OutcomeEvent;
/** A concurrent-assignment record of @cia/logging-schema: the other program's decision for a unit. */
export type ConcurrentAssignmentRecord = ConcurrentAssignment;

export interface LogRecordOptions {
  /** Program, policy and design written on every decision (defaults: "winback", "simulator", "1", "uniform"). */
  program?: string | undefined;
  policyId?: string | undefined;
  policyVersion?: string | undefined;
  design?: DesignKind | undefined;
  /** Write `action_probabilities` (default true) and inline `features` (default true). */
  actionProbabilities?: boolean | undefined;
  features?: boolean | undefined;
}

/** All four record streams of a simulated log; each is a lazy iterable (records are built on demand). */
export interface LogRecords {
  decisions: Iterable<DecisionRecord>;
  realizedTreatments: Iterable<RealizedTreatmentRecord>;
  outcomes: Iterable<OutcomeEventRecord>;
  /** Empty unless the world has a concurrent program (the `interference` world). */
  concurrentAssignments: Iterable<ConcurrentAssignmentRecord>;
}

const DAY_MS = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The decision id of unit i in a log: `d-<unit_id>` (unit ids carry the period, so ids are unique
 * across periods).
 *
 * @example
 * decisionId(pop, 0); // "d-u000001"
 */
export function decisionId(population: Population, i: number): string {
  return `d-${population.unitIds[i]!}`;
}

/**
 * Export a simulated log as @cia/logging-schema records: one Decision per unit (with the true
 * propensity and full action distribution), RealizedTreatment events (delivered, seen, redeemed),
 * OutcomeEvents (value = order margin with `metric: "margin"`, cost = redeemed credit with
 * `cost_definition: "realized_redemption"`) at their simulated times, and, in the interference
 * world, a ConcurrentAssignment per unit for the other program (`control` when not enrolled).
 * Building labels from these events over `horizonDays` (or `shortWindowDays`) reproduces
 * `log.value` (or `log.valueShort`) and `log.cost`.
 *
 * @example
 * const recs = logRecords(world, pop, world.log(pop, uniformDesign(5), { seed: 1 }));
 * for (const d of recs.decisions) out.write(`${JSON.stringify(d)}\n`);
 */
export function logRecords(
  world: World,
  population: Population,
  log: SimulatedLog,
  options: LogRecordOptions = {},
): LogRecords {
  if (log.n !== population.n)
    throw new CiaError<SimulatorErrorCode>(
      "shape_mismatch",
      `log has ${log.n} units, population ${population.n}`,
    );
  return {
    decisions: { [Symbol.iterator]: () => decisions(world, population, log, options) },
    realizedTreatments: { [Symbol.iterator]: () => realized(population, log) },
    outcomes: { [Symbol.iterator]: () => outcomes(population, log) },
    concurrentAssignments: { [Symbol.iterator]: () => concurrent(world, population, log) },
  };
}

function* decisions(
  world: World,
  pop: Population,
  log: SimulatedLog,
  options: LogRecordOptions,
): Generator<DecisionRecord> {
  const names = log.actions.map((a) => a.name);
  const k = log.k;
  const program = options.program ?? "winback";
  const policyId = options.policyId ?? "simulator";
  const policyVersion = options.policyVersion ?? "1";
  const design = options.design ?? "uniform";
  const withProbs = options.actionProbabilities !== false;
  const withFeatures = options.features !== false;
  const fnames = pop.featureNames;
  const p = pop.features.cols;
  const x = pop.features.data;
  const levels = fnames.map((f) => pop.categorical[f]);
  const defaultSurface = world.params.defaultChannel;
  for (let i = 0; i < pop.n; i++) {
    const a = log.action[i]!;
    const rec: DecisionRecord = {
      schema_version: 1,
      decision_id: decisionId(pop, i),
      unit_id: pop.unitIds[i]!,
      program,
      surface: log.actions[a]!.channel ?? defaultSurface,
      policy_id: policyId,
      policy_version: policyVersion,
      decision_time: iso(log.decisionTime[i]!),
      eligible_actions: names,
      action: names[a]!,
      propensity: log.propensity[i]!,
      design,
    };
    if (withProbs) {
      const probs: Record<string, number> = {};
      for (let b = 0; b < k; b++) probs[names[b]!] = log.actionProbabilities[i * k + b]!;
      rec.action_probabilities = probs;
    }
    if (withFeatures) {
      const f: Record<string, number | string> = {};
      for (let j = 0; j < p; j++) {
        const v = x[i * p + j]!;
        const lv = levels[j];
        f[fnames[j]!] = lv === undefined ? v : lv[v]!;
      }
      rec.features = f;
    }
    yield rec;
  }
}

function* realized(pop: Population, log: SimulatedLog): Generator<RealizedTreatmentRecord> {
  const ev = log.events;
  for (let i = 0; i < pop.n; i++) {
    if (ev.delivered[i] !== 1) continue;
    const base = log.decisionTime[i]!;
    const decision_id = decisionId(pop, i);
    const unit_id = pop.unitIds[i]!;
    // One record per treatment event, `lagDays` after the decision.
    const event = (kind: RealizedTreatmentRecord["event"], lagDays: number): RealizedTreatmentRecord => ({
      schema_version: 1,
      decision_id,
      unit_id,
      event: kind,
      time: iso(base + lagDays * DAY_MS),
    });
    yield event("delivered", ev.deliveredLagDays[i]!);
    if (ev.seen[i] === 1) yield event("seen", ev.seenLagDays[i]!);
    const lag = log.redemptionLagDays[i]!;
    if (!Number.isNaN(lag)) yield event("redeemed", lag);
  }
}

function* outcomes(pop: Population, log: SimulatedLog): Generator<OutcomeEventRecord> {
  const ev = log.events;
  let prevUnit = -1;
  let seq = 0;
  for (let e = 0; e < ev.count; e++) {
    const i = ev.unit[e]!;
    seq = i === prevUnit ? seq + 1 : 0;
    prevUnit = i;
    const unit_id = pop.unitIds[i]!;
    const time = iso(log.decisionTime[i]! + ev.lagDays[e]! * DAY_MS);
    const common = {
      schema_version: 1 as const,
      event_id: `e-${unit_id}-${seq}`,
      unit_id,
      decision_id: decisionId(pop, i),
    };
    if (ev.kind[e] === 0) yield { ...common, kind: "value", amount: ev.amount[e]!, time, metric: "margin" };
    else
      yield { ...common, kind: "cost", amount: ev.amount[e]!, time, cost_definition: "realized_redemption" };
  }
}

function* concurrent(
  world: World,
  pop: Population,
  log: SimulatedLog,
): Generator<ConcurrentAssignmentRecord> {
  const inter = world.params.interference;
  const conc = pop.concurrent;
  if (inter === null || conc === undefined) return;
  const start_time = iso(log.periodStart);
  const end_time = iso(log.periodStart + world.params.periodDays * DAY_MS);
  for (let i = 0; i < pop.n; i++) {
    const unit_id = pop.unitIds[i]!;
    yield {
      schema_version: 1,
      unit_id,
      program: inter.program,
      decision_id: `${inter.program}-${unit_id}`,
      action: conc[i] === 1 ? inter.action : "control",
      start_time,
      end_time,
    };
  }
}
