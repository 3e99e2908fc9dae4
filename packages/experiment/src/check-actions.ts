import { CiaError } from "@cia/core";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Validate an action list: at least 2 distinct non-empty names, index 0 the no-offer arm. */
export function checkActions(actions: readonly string[]): string[] {
  if (!Array.isArray(actions) || actions.length < 2) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_actions",
      "a design needs at least 2 actions (index 0 = no offer)",
      {
        actions,
      },
    );
  }
  const seen = new Set<string>();
  for (const a of actions) {
    if (typeof a !== "string" || a.length === 0) {
      throw new CiaError<ExperimentErrorCode>("invalid_actions", "action names must be non-empty strings", {
        actions,
      });
    }
    if (seen.has(a))
      throw new CiaError<ExperimentErrorCode>("invalid_actions", `action "${a}" is listed twice`, {
        actions,
      });
    seen.add(a);
  }
  return [...actions];
}
