import { CiaError } from "@cia/core";
import type { Decision, FeatureValue } from "@cia/logging-schema";
import { ASSIGNMENT_STATUS, type ProgramAssignment } from "./assign-program.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** What a Decision record needs beyond the assignment itself. */
export interface DecisionRecordOptions {
  readonly unitIds: readonly string[];
  /** ISO 8601 with offset, or a Date (written as UTC ISO). One time for all, or per unit. */
  readonly decisionTime: string | Date | ((unit: number) => string | Date);
  readonly surface: string;
  readonly policyId: string;
  readonly policyVersion: string;
  /** Also write a `design: "holdout"` record (action control, propensity 1) for held-out units. */
  readonly includeHoldout?: boolean | undefined;
  /** Inline features to log per unit (for train/serve parity, lesson 18). */
  readonly features?: ((unit: number) => Record<string, FeatureValue>) | undefined;
  /** Decision id per unit; default `${program}:${unit_id}:${decision_time}`. */
  readonly decisionId?: ((unit: number, unitId: string, time: string) => string) | undefined;
}

/**
 * Turn a program assignment into Decision records (@cia/logging-schema, schema_version 1): one per
 * assigned unit (and per held-out unit with `includeHoldout`), carrying the chosen action, its
 * exact propensity, the whole action distribution, the design kind, the salt and the bucket.
 * Ineligible units and units routed to other programs get no record.
 *
 * @example
 * const records = decisionRecords(assignment, { unitIds, decisionTime: "2026-01-05T09:00:00Z",
 *   surface: "push", policyId: "explore-v1", policyVersion: "1" });
 * records[0].propensity; // equals records[0].action_probabilities[records[0].action]
 */
export function decisionRecords(assignment: ProgramAssignment, options: DecisionRecordOptions): Decision[] {
  const { n, k, design, program, salt } = assignment;
  if (options.unitIds.length !== n) {
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `unitIds has ${options.unitIds.length} entries for ${n} units`,
    );
  }
  const actions = design.actions;
  const timeOf = (i: number): string => {
    const t = typeof options.decisionTime === "function" ? options.decisionTime(i) : options.decisionTime;
    return t instanceof Date ? t.toISOString() : t;
  };
  const out: Decision[] = [];
  for (let i = 0; i < n; i++) {
    const s = assignment.status[i]!;
    const held = s === ASSIGNMENT_STATUS.holdout;
    if (!(s === ASSIGNMENT_STATUS.assigned || (held && options.includeHoldout))) continue;
    const unitId = options.unitIds[i]!;
    const time = timeOf(i);
    const a = held ? 0 : assignment.action[i]!;
    const probs: Record<string, number> = {};
    for (let j = 0; j < k; j++) probs[actions[j]!] = assignment.probabilities[i * k + j]!;
    const record: Decision = {
      schema_version: 1,
      decision_id: options.decisionId ? options.decisionId(i, unitId, time) : `${program}:${unitId}:${time}`,
      unit_id: unitId,
      program,
      surface: options.surface,
      policy_id: options.policyId,
      policy_version: options.policyVersion,
      decision_time: time,
      eligible_actions: [...actions],
      action: actions[a]!,
      propensity: held ? 1 : assignment.propensity[i]!,
      action_probabilities: probs,
      design: held ? "holdout" : design.kind,
      salt,
      bucket: assignment.bucket[i]!,
    };
    if (options.features) record.features = options.features(i);
    out.push(record);
  }
  return out;
}
