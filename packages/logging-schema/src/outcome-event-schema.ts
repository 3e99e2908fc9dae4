import { z } from "zod";
import { idField, schemaVersionField, timeField } from "./common-fields.js";

/**
 * Whether an outcome event adds to the value label or to the cost label.
 *
 * @example
 * outcomeKindSchema.parse("cost");
 */
export const outcomeKindSchema = z.enum(["value", "cost"]);

/** One of {@link outcomeKindSchema}'s values. */
export type OutcomeKind = z.infer<typeof outcomeKindSchema>;

/**
 * Which finance definition a cost amount follows ("Labels and horizons" in the methodology):
 * `credit_deposited` (the incentive credited to the account), `realized_redemption` (what was
 * actually redeemed), `in_period_incentive_cost` (incremental in-period incentive cost), or `other`.
 * Mixing definitions in one label double counts, so label building filters on one.
 *
 * @example
 * costDefinitionSchema.parse("realized_redemption");
 */
export const costDefinitionSchema = z.enum([
  "credit_deposited",
  "realized_redemption",
  "in_period_incentive_cost",
  "other",
]);

/** One of {@link costDefinitionSchema}'s values. */
export type CostDefinition = z.infer<typeof costDefinitionSchema>;

/**
 * An outcome event: an amount of value or cost for a unit at a time, optionally attributed to a
 * decision. `amount` must be finite (`not_finite` at `["amount"]`); `cost_definition` is only
 * meaningful on cost events (`cost_definition_on_value`).
 *
 * @example
 * outcomeEventSchema.parse({ schema_version: 1, event_id: "e1", unit_id: "u1", decision_id: "d1",
 *   kind: "cost", amount: 5, time: "2026-01-02T00:00:00Z", cost_definition: "realized_redemption" });
 */
export const outcomeEventSchema = z
  .strictObject({
    schema_version: schemaVersionField,
    event_id: idField.describe("Unique id of this event."),
    unit_id: idField.describe("The unit the outcome belongs to."),
    decision_id: idField.optional().describe("The decision this outcome is attributed to, when known."),
    kind: outcomeKindSchema.describe("value or cost."),
    amount: z.number().describe("Finite amount in the metric's unit (e.g. currency)."),
    time: timeField.describe("When the outcome occurred (ISO 8601 with offset)."),
    cost_definition: costDefinitionSchema.optional().describe("Finance definition of a cost amount."),
    metric: z.string().min(1).optional().describe("Name of the value metric (e.g. margin, orders)."),
  })
  .superRefine((e, ctx) => {
    if (e.kind === "value" && e.cost_definition !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["cost_definition"],
        message: "cost_definition is set on a value event; only cost events carry a cost definition",
        params: { code: "cost_definition_on_value" },
      });
    }
  });

/** A validated outcome event. */
export type OutcomeEvent = z.infer<typeof outcomeEventSchema>;
