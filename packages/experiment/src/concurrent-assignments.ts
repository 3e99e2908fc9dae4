import { CiaError } from "@cia/core";
import type { ConcurrentAssignment } from "@cia/logging-schema";
import { ASSIGNMENT_STATUS, type ProgramAssignment } from "./assign-program.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * Concurrent-assignment records (@cia/logging-schema) for every unit assigned by any of several
 * programs running at the same time (lesson 6: log all assignment surfaces, so each program's
 * analysis can see which competing treatments a unit also received and model the overlap).
 * Decision ids follow `decisionRecords`' default (`${program}:${unit_id}:${decision_time}`), so
 * the two logs join; pass the same `decisionId` function when you override it there.
 *
 * @example
 * const overlap = concurrentAssignmentRecords([winback, loyalty], { unitIds, decisionTime: "2026-01-05T09:00:00Z" });
 */
export function concurrentAssignmentRecords(
  assignments: readonly ProgramAssignment[],
  options: {
    unitIds: readonly string[];
    decisionTime: string | Date;
    endTime?: string | Date | undefined;
    decisionId?: ((unit: number, unitId: string, time: string) => string) | undefined;
  },
): ConcurrentAssignment[] {
  const iso = (t: string | Date) => (t instanceof Date ? t.toISOString() : t);
  const time = iso(options.decisionTime);
  const end = options.endTime === undefined ? undefined : iso(options.endTime);
  const out: ConcurrentAssignment[] = [];
  for (const asg of assignments) {
    if (asg.n !== options.unitIds.length) {
      throw new CiaError<ExperimentErrorCode>(
        "shape_mismatch",
        `program "${asg.program}" has ${asg.n} units, unitIds ${options.unitIds.length}`,
      );
    }
    for (let i = 0; i < asg.n; i++) {
      if (asg.status[i] !== ASSIGNMENT_STATUS.assigned) continue;
      const unitId = options.unitIds[i]!;
      const record: ConcurrentAssignment = {
        schema_version: 1,
        unit_id: unitId,
        program: asg.program,
        decision_id: options.decisionId
          ? options.decisionId(i, unitId, time)
          : `${asg.program}:${unitId}:${time}`,
        action: asg.design.actions[asg.action[i]!]!,
        start_time: time,
      };
      if (end !== undefined) record.end_time = end;
      out.push(record);
    }
  }
  return out;
}
