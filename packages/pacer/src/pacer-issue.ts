import type { PacerIssue, PacerIssueCode } from "./error-codes.js";

/**
 * One data issue of @cia/pacer's validators (collected, then thrown together as a
 * `DataValidationError`).
 *
 * @example
 * if (!(t >= 0)) issues.push(pacerIssue("invalid_time", ["time", i], `time must be >= 0, got ${t}`));
 */
export function pacerIssue(code: PacerIssueCode, path: (string | number)[], message: string): PacerIssue {
  return { code, path, message };
}

/**
 * The `shape_mismatch` issue of a parallel array `field` whose length is not that of `against` (`n`).
 *
 * @example
 * if (event.length !== n) issues.push(lengthIssue("event", event.length, "time", n));
 */
export function lengthIssue(field: string, length: number, against: string, n: number): PacerIssue {
  return pacerIssue("shape_mismatch", [field], `${field} has length ${length}, ${against} has ${n}`);
}

/**
 * The `invalid_cohort` issue of cohort `i`'s `field` breaking `rule` (cost cohorts of the bias
 * calibration and the remaining liability).
 *
 * @example
 * if (!Number.isFinite(c.assignedAt)) issues.push(cohortIssue(i, "assignedAt", "finite", c.assignedAt));
 */
export function cohortIssue(i: number, field: string, rule: string, value: unknown): PacerIssue {
  return pacerIssue(
    "invalid_cohort",
    ["cohorts", i, field],
    `${field} must be ${rule}, got ${String(value)}`,
  );
}
