import { z } from "zod";
import { idField, schemaVersionField, timeField } from "./common-fields.js";

/**
 * Another program's decision active for a unit over a time interval (lesson 6: interference is
 * structure, not noise). `end_time`, when present, must not precede `start_time`
 * (`time_order` at `["end_time"]`); an absent `end_time` means still active.
 *
 * @example
 * concurrentAssignmentSchema.parse({ schema_version: 1, unit_id: "u1", program: "loyalty",
 *   decision_id: "L-9", action: "double_points", start_time: "2026-01-01T00:00:00Z" });
 */
export const concurrentAssignmentSchema = z
  .strictObject({
    schema_version: schemaVersionField,
    unit_id: idField.describe("The unit."),
    program: idField.describe("The other program that made the decision."),
    decision_id: idField.describe("That program's decision id."),
    action: idField.describe("The action it assigned."),
    start_time: timeField.describe("When the assignment became active."),
    end_time: timeField.optional().describe("When it stopped being active; absent while active."),
  })
  .superRefine((c, ctx) => {
    if (c.end_time !== undefined && Date.parse(c.end_time) < Date.parse(c.start_time)) {
      ctx.addIssue({
        code: "custom",
        path: ["end_time"],
        message: `end_time ${c.end_time} is before start_time ${c.start_time}`,
        params: { code: "time_order" },
      });
    }
  });

/** A validated concurrent-assignment record. */
export type ConcurrentAssignment = z.infer<typeof concurrentAssignmentSchema>;
