import type { z } from "zod";
import type { ModelJsonProblem } from "./validate-model-error.js";

/**
 * The first issue of a failed zod parse as a {@link ModelJsonProblem}: its path and a one-line
 * reason ("unknown field \"__proto__\"", "expected number, received Infinity").
 *
 * @example
 * const r = schema.safeParse(json);
 * if (!r.success) throw invalidModelJson(...Object.values(zodProblem(r.error)));
 */
export function zodProblem(error: z.ZodError): ModelJsonProblem {
  const issue = error.issues[0]!;
  const path = issue.path.map((k) => (typeof k === "symbol" ? String(k) : k));
  let reason: string;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(", ");
    reason = `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys} (not part of the model format)`;
  } else if (issue.code === "invalid_union" && issue.errors.length > 0 && issue.errors[0]!.length > 0) {
    // Report the first branch's problem: for `x | null` fields that is the useful one.
    const inner = zodProblem({ issues: issue.errors[0]! } as unknown as z.ZodError);
    return { path: [...path, ...inner.path], reason: inner.reason };
  } else reason = issue.message.replace(/^Invalid input: /, "");
  return { path, reason };
}
