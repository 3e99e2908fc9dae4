/** The cohort dimensions that cost bias is calibrated by. Missing parts read as "*". */
export interface SegmentParts {
  program?: string | undefined;
  action?: string | undefined;
  lifecycle?: string | undefined;
}

/**
 * A stable string key for a (program, action, lifecycle) cohort segment, used to look up bias
 * factors. Parts are URI-encoded so a "|" inside a name cannot collide with the separator.
 *
 * @example
 * segmentKey({ program: "reactivation", action: "offer_10", lifecycle: "dormant" });
 * // "reactivation|offer_10|dormant"
 */
export function segmentKey(parts: SegmentParts): string {
  const enc = (s: string | undefined) => (s === undefined ? "*" : encodeURIComponent(s));
  return `${enc(parts.program)}|${enc(parts.action)}|${enc(parts.lifecycle)}`;
}
