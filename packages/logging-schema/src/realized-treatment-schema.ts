import { z } from "zod";
import { idField, schemaVersionField, timeField } from "./common-fields.js";

/**
 * What happened to an assigned offer: delivered to the device, seen by the unit, or redeemed.
 *
 * @example
 * treatmentEventSchema.parse("redeemed");
 */
export const treatmentEventSchema = z.enum(["delivered", "seen", "redeemed"]);

/** One of {@link treatmentEventSchema}'s values. */
export type TreatmentEvent = z.infer<typeof treatmentEventSchema>;

/**
 * A realized-treatment event (lesson 5, non-compliance): the assigned action can differ from the one
 * the unit actually received. Its `time` must not precede the decision's `decision_time`; that
 * cross-record rule is checked by {@link validateLogConsistency}.
 *
 * @example
 * realizedTreatmentSchema.parse({ schema_version: 1, decision_id: "d1", unit_id: "u1",
 *   event: "delivered", time: "2026-01-01T00:05:00Z" });
 */
export const realizedTreatmentSchema = z.strictObject({
  schema_version: schemaVersionField,
  decision_id: idField.describe("The decision whose offer this event is about."),
  unit_id: idField.describe("The unit; must match the decision's unit_id."),
  event: treatmentEventSchema.describe("delivered, seen or redeemed."),
  time: timeField.describe("When it happened (ISO 8601 with offset)."),
});

/** A validated realized-treatment record. */
export type RealizedTreatment = z.infer<typeof realizedTreatmentSchema>;
