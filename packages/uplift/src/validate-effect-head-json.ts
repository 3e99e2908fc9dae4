import type { ModelJsonProblem } from "@cia/learners";
import { zodProblem } from "@cia/learners";
import { z } from "zod";
import type { EffectHeadJson } from "./effect-head.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";
import { FORBIDDEN_KEYS, baseModelRefSchema } from "./validate-base-model-ref.js";

/**
 * The JSON of an effect head (`EffectHead.toJSON`), strict; base models are checked by their
 * loader. The roles in `models` are checked against the meta-learner by {@link validateEffectHeadJson}.
 *
 * @example
 * effectHeadJsonSchema.safeParse(json.pooled[0].value);
 */
export const effectHeadJsonSchema = z.strictObject({
  meta: z.enum(["s", "t", "x", "dr"]),
  nActions: z.int().min(2).max(1_000_000),
  nFeatures: z
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  models: z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), {
    message: "expected an object of model lists by role",
  }),
  combine: z
    .discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("propensity") }),
      z.strictObject({ kind: z.literal("stacked"), weights: z.array(z.number().nullable()) }),
    ])
    .optional(),
});

const modelList = z.array(baseModelRefSchema.nullable());

/** Roles a meta-learner's head stores, and whether action 0 (no offer) has a model. */
function rolesOf(meta: MetaLearnerKind, keys: string[]): { roles: string[]; withControl: boolean } | string {
  if (meta === "t") return { roles: ["outcome"], withControl: true };
  if (meta === "s") return { roles: ["pair"], withControl: false };
  if (meta === "x") return { roles: ["effectTreated", "effectControl"], withControl: false };
  const folds = keys.filter((k) => /^effect\/\d+$/.test(k)).length;
  if (folds === 0) return "a DR head needs at least one effect/<fold> model list";
  return { roles: Array.from({ length: folds }, (_, f) => `effect/${f}`), withControl: false };
}

/** Result of a validator: the checked JSON, or the first problem with its path. */
export type JsonValidation<T> = { success: true; data: T } | { success: false; problem: ModelJsonProblem };

/**
 * Check an effect head's JSON: the strict schema, then that `models` holds exactly the roles of
 * its meta-learner (T `outcome`, S `pair`, X `effectTreated` + `effectControl`, DR
 * `effect/0..F-1`), each with one entry per action, a model for every offer (and for no offer
 * where the learner has one, null otherwise); `combine` only on X heads, with one weight per
 * action; and, when `expected` is given, the same meta-learner, actions and features as the
 * enclosing model. Base models are opaque here (their loader checks them).
 *
 * @example
 * const r = validateEffectHeadJson(json, { meta: "x", nActions: 5, nFeatures: 12 });
 */
export function validateEffectHeadJson(
  json: unknown,
  expected?: { meta: MetaLearnerKind; nActions: number; nFeatures: number },
): JsonValidation<EffectHeadJson> {
  const fail = (path: (string | number)[], reason: string): JsonValidation<EffectHeadJson> => ({
    success: false,
    problem: { path, reason },
  });
  const r = effectHeadJsonSchema.safeParse(json);
  if (!r.success) return { success: false, problem: zodProblem(r.error) };
  const h = r.data;
  if (expected) {
    for (const key of ["meta", "nActions", "nFeatures"] as const) {
      if (h[key] !== expected[key])
        return fail([key], `is ${JSON.stringify(h[key])}, the model's is ${JSON.stringify(expected[key])}`);
    }
  }
  const keys = Object.keys(h.models);
  for (const key of keys)
    if (FORBIDDEN_KEYS.has(key)) return fail(["models"], `forbidden key ${JSON.stringify(key)}`);
  const spec = rolesOf(h.meta, keys);
  if (typeof spec === "string") return fail(["models"], spec);
  for (const key of keys) {
    if (!spec.roles.includes(key))
      return fail(["models", key], `unknown role for a ${h.meta} head (expected ${spec.roles.join(", ")})`);
  }
  for (const role of spec.roles) {
    if (!(role in h.models)) return fail(["models"], `missing role ${JSON.stringify(role)}`);
    const list = modelList.safeParse(h.models[role]);
    if (!list.success) {
      const p = zodProblem(list.error);
      return fail(["models", role, ...p.path], p.reason);
    }
    if (list.data.length !== h.nActions)
      return fail(
        ["models", role],
        `has ${list.data.length} entries, expected one per action (${h.nActions})`,
      );
    for (let a = 0; a < h.nActions; a++) {
      const m = list.data[a];
      if (a === 0 && !spec.withControl && m !== null)
        return fail(["models", role, 0], "must be null (no-offer has no model in this role)");
      if ((a > 0 || spec.withControl) && m === null)
        return fail(["models", role, a], `missing the model for action ${a}`);
    }
  }
  if (h.combine !== undefined) {
    if (h.meta !== "x") return fail(["combine"], `only X-learner heads combine, this is a ${h.meta} head`);
    if (h.combine.kind === "stacked" && h.combine.weights.length !== h.nActions)
      return fail(
        ["combine", "weights"],
        `has ${h.combine.weights.length} entries, expected one per action (${h.nActions})`,
      );
  }
  return { success: true, data: h as EffectHeadJson };
}
