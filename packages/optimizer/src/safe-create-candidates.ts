import { CiaError, type DataIssue } from "@cia/core";
import { type Candidates, type CandidatesInput, createCandidates } from "./candidates.js";

/** Result of {@link safeCreateCandidates}: the candidates, or the problems found as data issues. */
export type CandidatesResult = { success: true; data: Candidates } | { success: false; issues: DataIssue[] };

/**
 * The non-throwing variant of {@link createCandidates} for pipelines: problems come back as
 * `DataIssue`s (`path: ["row", i, field]` for bad scores) instead of an exception.
 *
 * @example
 * const r = safeCreateCandidates({ nUnits: 1, unit: [0], action: [1], tauValue: [NaN], tauCost: [1] });
 * if (!r.success) console.error(formatIssues(r.issues)); // "tau_value: ... [non_finite_score]"
 */
export function safeCreateCandidates(input: CandidatesInput): CandidatesResult {
  try {
    return { success: true, data: createCandidates(input) };
  } catch (e) {
    if (!CiaError.isInstance(e)) throw e;
    const rows = e.details.rows;
    const field = typeof e.details.field === "string" ? e.details.field : undefined;
    if (Array.isArray(rows) && field) {
      return {
        success: false,
        issues: rows.map((row: number) => ({
          code: e.code,
          path: ["row", row, field],
          message: `${field} is NaN or infinite in candidate row ${row}`,
        })),
      };
    }
    const row = typeof e.details.row === "number" ? e.details.row : undefined;
    return {
      success: false,
      issues: [{ code: e.code, path: row === undefined ? [] : ["row", row], message: e.message }],
    };
  }
}
