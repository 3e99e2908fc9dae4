import type { DataIssue } from "@cia/core";
import type { Decision } from "./decision-schema.js";
import type { OutcomeEvent } from "./outcome-event-schema.js";
import type { RealizedTreatment } from "./realized-treatment-schema.js";

/** The logs whose records refer to each other. */
export interface LogSet {
  decisions: readonly Decision[];
  realizedTreatments?: readonly RealizedTreatment[] | undefined;
  outcomes?: readonly OutcomeEvent[] | undefined;
}

/**
 * Rules that span records (each record is assumed valid on its own):
 * - decision ids are unique (`duplicate_decision_id` at `["decisions", i, "decision_id"]`);
 * - a realized treatment or an outcome naming a `decision_id` names a known decision
 *   (`unknown_decision`), of the same unit (`unit_mismatch` at `[..., "unit_id"]`), and does not
 *   precede it (`time_order` at `[..., "time"]`).
 * Outcomes before their decision are reported here; label building also counts and skips them.
 *
 * @example
 * const issues = validateLogConsistency({ decisions, realizedTreatments, outcomes });
 * if (issues.length > 0) console.error(formatIssues(issues));
 */
export function validateLogConsistency(logs: LogSet): DataIssue[] {
  const issues: DataIssue[] = [];
  const byId = new Map<string, Decision>();
  logs.decisions.forEach((d, i) => {
    if (byId.has(d.decision_id)) {
      issues.push({
        code: "duplicate_decision_id",
        path: ["decisions", i, "decision_id"],
        message: `decision_id "${d.decision_id}" appears more than once`,
      });
    } else byId.set(d.decision_id, d);
  });
  const check = (
    name: string,
    records: readonly { decision_id?: string | undefined; unit_id: string; time: string }[] | undefined,
  ) => {
    records?.forEach((r, i) => {
      if (r.decision_id === undefined) return;
      const d = byId.get(r.decision_id);
      if (d === undefined) {
        issues.push({
          code: "unknown_decision",
          path: [name, i, "decision_id"],
          message: `decision_id "${r.decision_id}" is not among the decisions`,
        });
        return;
      }
      if (d.unit_id !== r.unit_id) {
        issues.push({
          code: "unit_mismatch",
          path: [name, i, "unit_id"],
          message: `unit_id "${r.unit_id}" differs from decision ${r.decision_id}'s unit "${d.unit_id}"`,
        });
      }
      if (Date.parse(r.time) < Date.parse(d.decision_time)) {
        issues.push({
          code: "time_order",
          path: [name, i, "time"],
          message: `time ${r.time} is before decision ${r.decision_id}'s decision_time ${d.decision_time}`,
        });
      }
    });
  };
  check("realized_treatments", logs.realizedTreatments);
  check("outcomes", logs.outcomes);
  return issues;
}
