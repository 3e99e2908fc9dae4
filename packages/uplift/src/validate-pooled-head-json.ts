import { zodProblem } from "@cia/learners";
import { z } from "zod";
import type { PooledEffectHeadJson } from "./pooled-effect-head.js";
import { baseModelRefSchema } from "./validate-base-model-ref.js";
import type { JsonValidation } from "./validate-effect-head-json.js";

/**
 * The JSON of a pooled effect head (`PooledEffectHead.toJSON`), strict; base models are checked
 * by their loader.
 *
 * @example
 * pooledEffectHeadJsonSchema.safeParse(file.decision_heads.cost);
 */
export const pooledEffectHeadJsonSchema = z.strictObject({
  kind: z.literal("pooled-effect"),
  mode: z.enum(["joint", "treated"]),
  nActions: z.int().min(2).max(1_000_000),
  nFeatures: z
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  actionAttributes: z.array(z.array(z.number()).min(1)),
  treated: baseModelRefSchema,
  control: baseModelRefSchema.nullable(),
  allowNegative: z.boolean(),
});

/**
 * Check a pooled effect head's JSON: the strict schema, one attribute row per action, all of one
 * width, and no no-offer model in "joint" mode (the joint model predicts no offer itself).
 *
 * @example
 * const r = validatePooledEffectHeadJson(json);
 */
export function validatePooledEffectHeadJson(json: unknown): JsonValidation<PooledEffectHeadJson> {
  const r = pooledEffectHeadJsonSchema.safeParse(json);
  if (!r.success) return { success: false, problem: zodProblem(r.error) };
  const h = r.data;
  const fail = (path: (string | number)[], reason: string): JsonValidation<PooledEffectHeadJson> => ({
    success: false,
    problem: { path, reason },
  });
  if (h.actionAttributes.length !== h.nActions)
    return fail(
      ["actionAttributes"],
      `has ${h.actionAttributes.length} rows, expected one per action (${h.nActions})`,
    );
  const q = h.actionAttributes[0]!.length;
  for (let a = 1; a < h.nActions; a++) {
    if (h.actionAttributes[a]!.length !== q)
      return fail(["actionAttributes", a], `has ${h.actionAttributes[a]!.length} attributes, row 0 has ${q}`);
  }
  if (h.mode === "joint" && h.control !== null)
    return fail(["control"], "a joint head has no separate no-offer model (expected null)");
  return { success: true, data: h as PooledEffectHeadJson };
}
