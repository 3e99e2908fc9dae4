import { type DataIssue, DataValidationError } from "@cia/core";
import type { Decision } from "./decision-schema.js";
import { safeParseDecision } from "./parse-records.js";
import type { ParseResult } from "./parse-result.js";

/**
 * Validate an in-memory array of decisions: every rule of `decisionSchema`, plus unique
 * `decision_id`s. Issue paths start with the index (`[12, "propensity"]`). Stops collecting after
 * `maxIssues` issues (default 100).
 *
 * @example
 * const r = safeParseDecisions(rows);
 * if (!r.success) console.error(formatIssues(r.issues)); // "12: propensity: ... [propensity_out_of_range]"
 */
export function safeParseDecisions(
  inputs: readonly unknown[],
  options: { maxIssues?: number | undefined } = {},
): ParseResult<Decision[]> {
  const maxIssues = options.maxIssues ?? 100;
  const out: Decision[] = [];
  const issues: DataIssue[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < inputs.length && issues.length < maxIssues; i++) {
    const r = safeParseDecision(inputs[i]);
    if (!r.success) {
      for (const issue of r.issues) issues.push({ ...issue, path: [i, ...issue.path] });
      continue;
    }
    const first = seen.get(r.data.decision_id);
    if (first !== undefined) {
      issues.push({
        code: "duplicate_decision_id",
        path: [i, "decision_id"],
        message: `decision_id "${r.data.decision_id}" was already used at index ${first}`,
      });
      continue;
    }
    seen.set(r.data.decision_id, i);
    out.push(r.data);
  }
  if (issues.length > 0) return { success: false, issues: issues.slice(0, maxIssues) };
  return { success: true, data: out };
}

/**
 * Validate an in-memory array of decisions; throws a `DataValidationError` with every issue.
 *
 * @example
 * const decisions = parseDecisions(JSON.parse(text));
 */
export function parseDecisions(
  inputs: readonly unknown[],
  options: { maxIssues?: number | undefined } = {},
): Decision[] {
  const r = safeParseDecisions(inputs, options);
  if (r.success) return r.data;
  throw new DataValidationError(r.issues);
}
