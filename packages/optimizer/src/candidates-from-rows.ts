import { CiaError } from "@cia/core";
import { type Candidates, allocateCandidateColumns, createCandidates } from "./candidates.js";
import type { OptimizerErrorCode } from "./error-codes.js";

/** One score row, as the `cia score` file has them (snake_case like the file contract). */
export interface CandidateRow {
  unit_id: string;
  action: string;
  tau_value: number;
  tau_cost: number;
  tau_value_lower?: number | undefined;
  tau_value_se?: number | undefined;
  channel?: string | undefined;
  eligible?: boolean | undefined;
}

/** Candidates plus the dictionaries that map codes back to the names of the rows. */
export interface NamedCandidates {
  candidates: Candidates;
  /** unit index -> unit_id, in first-seen order. */
  units: string[];
  /** action code -> name; index 0 is the no-offer arm. */
  actions: string[];
  /** channel code -> name (empty when no row has a channel). */
  channels: string[];
}

/**
 * Convenience builder from row objects: assigns unit indices in first-seen order, action codes
 * 1.. in first-seen order (the control name, default "control", is code 0 and may not appear as a
 * candidate), and channel codes. Meant for files and tests; large inputs should build the typed
 * columns directly.
 *
 * @example
 * const { candidates, units, actions } = candidatesFromRows([
 *   { unit_id: "u1", action: "5off", tau_value: 3, tau_cost: 1 },
 *   { unit_id: "u2", action: "5off", tau_value: 2, tau_cost: 1 },
 * ]);
 */
export function candidatesFromRows(
  rows: readonly CandidateRow[],
  options: { control?: string; units?: readonly string[] } = {},
): NamedCandidates {
  const control = options.control ?? "control";
  const unitIndex = new Map<string, number>();
  const units: string[] = [];
  for (const id of options.units ?? []) {
    if (!unitIndex.has(id)) {
      unitIndex.set(id, units.length);
      units.push(id);
    }
  }
  const actionIndex = new Map<string, number>([[control, 0]]);
  const actions: string[] = [control];
  const channelIndex = new Map<string, number>();
  const channels: string[] = [];
  const n = rows.length;
  const cols = allocateCandidateColumns(n, {
    eligible: rows.some((r) => r.eligible !== undefined),
    channel: rows.some((r) => r.channel !== undefined),
    tauValueLower: rows.some((r) => r.tau_value_lower !== undefined),
    tauValueSe: rows.some((r) => r.tau_value_se !== undefined),
  });
  const { unit, action, tauValue, tauCost, eligible, channel, tauValueLower: lower, tauValueSe: se } = cols;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.action === control) {
      throw new CiaError<OptimizerErrorCode>(
        "invalid_action",
        `row ${i}: action "${control}" is the no-offer arm and cannot be a candidate`,
        {
          row: i,
        },
      );
    }
    let u = unitIndex.get(r.unit_id);
    if (u === undefined) {
      u = units.length;
      unitIndex.set(r.unit_id, u);
      units.push(r.unit_id);
    }
    let a = actionIndex.get(r.action);
    if (a === undefined) {
      a = actions.length;
      actionIndex.set(r.action, a);
      actions.push(r.action);
    }
    unit[i] = u;
    action[i] = a;
    tauValue[i] = r.tau_value;
    tauCost[i] = r.tau_cost;
    if (eligible) eligible[i] = r.eligible === false ? 0 : 1;
    if (channel) {
      const name = r.channel ?? "";
      let c = channelIndex.get(name);
      if (c === undefined) {
        c = channels.length;
        channelIndex.set(name, c);
        channels.push(name);
      }
      channel[i] = c;
    }
    if (lower && r.tau_value_lower !== undefined) lower[i] = r.tau_value_lower;
    if (se && r.tau_value_se !== undefined) se[i] = r.tau_value_se;
  }
  const candidates = createCandidates({ nUnits: units.length, ...cols });
  return { candidates, units, actions, channels };
}
