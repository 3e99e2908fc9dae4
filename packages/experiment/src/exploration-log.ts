import { CiaError } from "@cia/core";
import type { Decision } from "@cia/logging-schema";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * The logged action distribution of every row of a table, n x K, rebuilt from its Decision
 * records (matched by `decision_id` when given, else by `unit_id`): whatever design logged a row
 * (a uniform or warm-start experiment, a deployed policy with exploration, a holdout), its own
 * `action_probabilities` are its logging policy, so tables pooled from many designs keep valid
 * importance weights. A decision without `action_probabilities` gets its `propensity` on the
 * logged action and the rest of the mass unknown (NaN), so a caller cannot mistake it for zero.
 *
 * @example
 * const probs = loggedActionProbabilities(decisions, table.unitIds, ["control", "credit_5"]);
 * // probs[i * 2 + a]: probability that row i's logging policy chose action a
 */
export function loggedActionProbabilities(
  decisions: Iterable<Decision>,
  rowIds: readonly string[],
  actions: readonly string[],
  options: { by?: "unit_id" | "decision_id" } = {},
): Float64Array {
  const by = options.by ?? "unit_id";
  const k = actions.length;
  const index = new Map(rowIds.map((id, i) => [id, i]));
  const actionIndex = new Map(actions.map((a, j) => [a, j]));
  const out = new Float64Array(rowIds.length * k).fill(Number.NaN);
  const seen = new Uint8Array(rowIds.length);
  for (const d of decisions) {
    const i = index.get(by === "unit_id" ? d.unit_id : d.decision_id);
    if (i === undefined) continue;
    const o = i * k;
    if (d.action_probabilities) {
      for (let a = 0; a < k; a++) out[o + a] = 0;
      for (const [name, p] of Object.entries(d.action_probabilities)) {
        const a = actionIndex.get(name);
        if (a === undefined) {
          if (p > 0)
            throw new CiaError<ExperimentErrorCode>(
              "invalid_action",
              `decision ${d.decision_id}: action_probabilities names '${name}', not one of ${actions.join(", ")}`,
              { decision: d.decision_id, action: name },
            );
          continue;
        }
        out[o + a] = p;
      }
    } else {
      const a = actionIndex.get(d.action);
      if (a !== undefined) out[o + a] = d.propensity;
    }
    seen[i] = 1;
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) {
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `row ${missing} (${by} ${rowIds[missing]}) has no decision record: its logging policy is unknown`,
      { row: missing, id: rowIds[missing] },
    );
  }
  return out;
}
