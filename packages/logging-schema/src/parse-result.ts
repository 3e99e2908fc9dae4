import type { DataIssue } from "@cia/core";

/**
 * Result of a `safe*` parser: the validated value, or every issue found.
 *
 * @example
 * const r = safeParseDecision(raw);
 * if (r.success) use(r.data); else console.error(formatIssues(r.issues));
 */
export type ParseResult<T> = { success: true; data: T } | { success: false; issues: DataIssue[] };
