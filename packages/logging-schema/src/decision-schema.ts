import { z } from "zod";
import { idField, schemaVersionField, timeField } from "./common-fields.js";

/**
 * Tolerance on `sum(action_probabilities) = 1` and on `action_probabilities[action] = propensity`.
 *
 * @example
 * Math.abs(total - 1) <= PROBABILITY_TOLERANCE; // true for a valid distribution
 */
export const PROBABILITY_TOLERANCE = 1e-6;

/**
 * How the logged action was chosen. `uniform`/`stratified`/`warm_start`/`holdout` are randomized
 * designs; `greedy` and `policy` are (possibly deterministic) production policies whose propensity
 * must still be logged, even when it is 1.
 *
 * @example
 * designKindSchema.options; // ["uniform", "stratified", "warm_start", "holdout", "greedy", "policy"]
 */
export const designKindSchema = z.enum([
  "uniform",
  "stratified",
  "warm_start",
  "holdout",
  "greedy",
  "policy",
]);

/** One of {@link designKindSchema}'s values. */
export type DesignKind = z.infer<typeof designKindSchema>;

/**
 * A feature value as logged inline: numbers, strings (categorical), booleans, or null (missing).
 *
 * @example
 * featureValueSchema.parse(null); // null: a missing value
 */
export const featureValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One of {@link featureValueSchema}'s values. */
export type FeatureValue = z.infer<typeof featureValueSchema>;

/** The shape of a decision record, before the rules that relate fields to each other (internal). */
export const decisionShape = z.strictObject({
  schema_version: schemaVersionField,
  decision_id: idField.describe("Unique id of this decision across the whole log."),
  unit_id: idField.describe("The unit (user, account) the decision is about."),
  program: idField.describe("Which incentive system made the decision."),
  surface: idField.describe("Surface or channel the offer is shown on (push, in_app, email...)."),
  policy_id: idField.describe("The policy that chose the action."),
  policy_version: idField.describe("Version of that policy."),
  decision_time: timeField.describe("When the decision was made (ISO 8601 with offset)."),
  eligible_actions: z
    .array(idField)
    .min(1)
    .describe("Actions the unit could have received; the no-offer arm ('control') is an action."),
  action: idField.describe("The chosen action; 'control' means no offer."),
  propensity: z
    .number()
    .gt(0)
    .lte(1)
    .describe("Probability that the logging policy chose `action` for this unit, in (0, 1]."),
  action_probabilities: z
    .record(idField, z.number().min(0).max(1))
    .optional()
    .describe("The whole action distribution of the logging policy; sums to 1."),
  design: designKindSchema.describe("Design kind that produced the assignment."),
  salt: z.string().min(1).optional().describe("Randomization salt of a hash-based assignment."),
  bucket: z.int().min(0).optional().describe("Randomization bucket of a hash-based assignment."),
  features: z
    .record(z.string().min(1), featureValueSchema)
    .optional()
    .describe("Inline feature values at decision time (null = missing)."),
  feature_ref: z
    .string()
    .min(1)
    .optional()
    .describe("Reference to features stored elsewhere (e.g. a feature-store snapshot key)."),
  feature_contract_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe("sha256 content hash of the feature contract the features follow."),
});

/**
 * One logged decision: what was chosen for a unit, with the probability it had of being chosen.
 *
 * Rules beyond types (each reported at its exact path with a stable code):
 * - `propensity` in (0, 1] (`propensity_out_of_range`, path `["propensity"]`);
 * - `eligible_actions` has no duplicates (`duplicate_action`, `["eligible_actions", i]`);
 * - `action` is among `eligible_actions` (`action_not_eligible`, `["action"]`);
 * - `action_probabilities` only names eligible actions (`action_not_eligible`,
 *   `["action_probabilities", name]`), sums to 1 within {@link PROBABILITY_TOLERANCE}
 *   (`probabilities_do_not_sum_to_one`, `["action_probabilities"]`) and gives the chosen action the
 *   logged propensity (`propensity_mismatch`, `["action_probabilities", action]`);
 * - a `feature_ref` comes with its `feature_contract_hash` (`missing_feature_contract_hash`).
 *
 * @example
 * const d = decisionSchema.parse({
 *   schema_version: 1, decision_id: "d1", unit_id: "u1", program: "winback", surface: "push",
 *   policy_id: "explore", policy_version: "1", decision_time: "2026-01-01T00:00:00Z",
 *   eligible_actions: ["control", "credit_5"], action: "credit_5", propensity: 0.5, design: "uniform",
 * });
 */
export const decisionSchema = decisionShape.superRefine((d, ctx) => {
  checkDecisionRules(d, (path, code, message) => {
    ctx.addIssue({ code: "custom", path, message, params: { code } });
  });
});

/**
 * The rules of a decision that relate fields to each other, shared by the zod schema and the fast
 * path so both apply exactly the same logic. Calls `report` once per violation.
 */
export function checkDecisionRules(
  d: z.infer<typeof decisionShape>,
  report: (path: (string | number)[], code: string, message: string) => void,
): void {
  // Linear scans rather than a Set: eligible lists are short and this runs for every logged row.
  const actions = d.eligible_actions;
  const k = actions.length;
  for (let i = 1; i < k; i++) {
    const a = actions[i]!;
    for (let j = 0; j < i; j++) {
      if (actions[j] === a) {
        report(
          ["eligible_actions", i],
          "duplicate_action",
          `action "${a}" is listed twice in eligible_actions`,
        );
        break;
      }
    }
  }
  if (!actions.includes(d.action)) {
    report(
      ["action"],
      "action_not_eligible",
      `chosen action "${d.action}" is not among eligible_actions [${actions.join(", ")}]`,
    );
  }
  const probs = d.action_probabilities;
  if (probs !== undefined) {
    let total = 0;
    for (const key in probs) {
      if (!Object.hasOwn(probs, key)) continue;
      total += probs[key]!;
      if (!actions.includes(key)) {
        report(
          ["action_probabilities", key],
          "action_not_eligible",
          `action_probabilities names "${key}", which is not among eligible_actions`,
        );
      }
    }
    if (Math.abs(total - 1) > PROBABILITY_TOLERANCE) {
      report(
        ["action_probabilities"],
        "probabilities_do_not_sum_to_one",
        `action probabilities sum to ${total}, not 1 (tolerance ${PROBABILITY_TOLERANCE})`,
      );
    }
    const p = Object.hasOwn(probs, d.action) ? probs[d.action] : undefined;
    if (p === undefined) {
      report(
        ["action_probabilities", d.action],
        "propensity_mismatch",
        `action_probabilities has no entry for the chosen action "${d.action}"`,
      );
    } else if (Math.abs(p - d.propensity) > PROBABILITY_TOLERANCE) {
      report(
        ["action_probabilities", d.action],
        "propensity_mismatch",
        `action_probabilities["${d.action}"] = ${p} differs from propensity ${d.propensity}`,
      );
    }
  }
  if (d.feature_ref !== undefined && d.feature_contract_hash === undefined) {
    report(
      ["feature_contract_hash"],
      "missing_feature_contract_hash",
      "feature_ref is set, so feature_contract_hash is required to pin what the features mean",
    );
  }
}

/** A validated decision record (see {@link decisionSchema}). */
export type Decision = z.infer<typeof decisionSchema>;
