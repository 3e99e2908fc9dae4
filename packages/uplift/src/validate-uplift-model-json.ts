import type { ModelJsonProblem } from "@cia/learners";
import { zodProblem } from "@cia/learners";
import { z } from "zod";
import type { UpliftModelJson } from "./uplift-model.js";
import { baseModelRefSchema } from "./validate-base-model-ref.js";
import { type JsonValidation, validateEffectHeadJson } from "./validate-effect-head-json.js";

const headRef = z.custom<unknown>((v) => typeof v === "object" && v !== null && !Array.isArray(v), {
  message: "expected an effect head object",
});
const memberSchema = z.strictObject({ value: headRef, cost: headRef.nullable() });
/** JSON.stringify writes NaN (an arm without rows) as null: informational statistics allow it. */
const stat = z.number().nullable();

/**
 * The JSON of a fitted uplift model (`UpliftModel.toJSON`, kind "cia-uplift"), strict at every
 * level; effect heads and base models are checked by {@link validateUpliftModelJson} and their
 * loaders.
 *
 * @example
 * upliftModelJsonSchema.safeParse(JSON.parse(text));
 */
export const upliftModelJsonSchema = z.strictObject({
  kind: z.literal("cia-uplift"),
  version: z.literal(1),
  meta: z.enum(["s", "t", "x", "dr"]),
  nActions: z.int().min(2).max(1_000_000),
  nFeatures: z
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  actionNames: z.array(z.string().min(1)),
  featureNames: z.array(z.string()).nullable(),
  level: z.number().gt(0).lt(1),
  efficiencyEps: z.number().min(0),
  propensity: z.strictObject({
    weights: z.discriminatedUnion("kind", [
      z.strictObject({
        kind: z.literal("constant"),
        clip: z.number().min(0).lt(0.5),
        weights: z.array(z.number().min(0).max(1)),
      }),
      z.strictObject({
        kind: z.literal("classifiers"),
        clip: z.number().min(0).lt(0.5),
        scheme: z.enum(["one-vs-control", "one-vs-rest"]),
        models: z.array(baseModelRefSchema.nullable()),
      }),
    ]),
    report: z.strictObject({
      source: z.enum(["logged", "estimate", "constant"]),
      scheme: z.enum(["one-vs-control", "one-vs-rest"]).nullable(),
      clip: z.number().min(0).lt(0.5),
      arms: z.array(
        z.strictObject({
          action: z.int().min(1),
          rows: z.int().min(0),
          clippedLow: z.int().min(0),
          clippedHigh: z.int().min(0),
          min: stat,
          max: stat,
          mean: stat,
        }),
      ),
    }),
  }),
  pooled: z.array(memberSchema).min(1),
  segments: z
    .strictObject({
      minSupport: z.int().min(0),
      entries: z.array(
        z.strictObject({
          code: z.int().min(0),
          name: z.string(),
          rows: z.int().min(0),
          support: z.array(z.int().min(0)),
          fallback: z.boolean(),
          members: z.array(memberSchema).min(1).nullable(),
        }),
      ),
    })
    .nullable(),
});

/**
 * Check an uplift model's JSON before any of it is used: the strict schema, then consistency:
 * one unique name per action, one propensity weight or classifier per action (a classifier for
 * every action the scheme reads), every member's heads of the model's meta-learner, actions and
 * features (`validateEffectHeadJson`), a cost head in every member or in none, and segments with
 * unique codes, one support count per action, and members exactly when they did not fall back.
 * Base models inside are checked by their loader (`loadModel`). Returns the first problem with
 * its path from the uplift model's root.
 *
 * @example
 * const r = validateUpliftModelJson(JSON.parse(text));
 * if (!r.success) console.error(r.problem.path, r.problem.reason);
 */
export function validateUpliftModelJson(json: unknown): JsonValidation<UpliftModelJson> {
  const fail = (path: (string | number)[], reason: string): JsonValidation<UpliftModelJson> => ({
    success: false,
    problem: { path, reason },
  });
  const r = upliftModelJsonSchema.safeParse(json);
  if (!r.success) return { success: false, problem: zodProblem(r.error) };
  const u = r.data;
  const k = u.nActions;
  if (u.actionNames.length !== k)
    return fail(["actionNames"], `has ${u.actionNames.length} names, expected nActions = ${k}`);
  const seen = new Set<string>();
  for (let a = 0; a < k; a++) {
    if (seen.has(u.actionNames[a]!))
      return fail(["actionNames", a], `action ${JSON.stringify(u.actionNames[a])} appears twice`);
    seen.add(u.actionNames[a]!);
  }
  const w = u.propensity.weights;
  if (w.kind === "constant") {
    if (w.weights.length !== k)
      return fail(
        ["propensity", "weights", "weights"],
        `has ${w.weights.length} entries, expected one per action (${k})`,
      );
  } else {
    if (w.models.length !== k)
      return fail(
        ["propensity", "weights", "models"],
        `has ${w.models.length} entries, expected one per action (${k})`,
      );
    for (let a = w.scheme === "one-vs-rest" ? 0 : 1; a < k; a++)
      if (w.models[a] === null)
        return fail(
          ["propensity", "weights", "models", a],
          `missing the propensity classifier of action ${a}`,
        );
  }
  for (let j = 0; j < u.propensity.report.arms.length; j++) {
    if (u.propensity.report.arms[j]!.action >= k)
      return fail(
        ["propensity", "report", "arms", j, "action"],
        `action ${u.propensity.report.arms[j]!.action} out of range 1..${k - 1}`,
      );
  }
  const expected = { meta: u.meta, nActions: k, nFeatures: u.nFeatures };
  const hasCost = u.pooled[0]!.cost !== null;
  const members = (
    list: { value: unknown; cost: unknown }[],
    at: (string | number)[],
  ): ModelJsonProblem | null => {
    for (let m = 0; m < list.length; m++) {
      const member = list[m]!;
      if ((member.cost !== null) !== hasCost)
        return {
          path: [...at, m, "cost"],
          reason: hasCost
            ? "missing the cost head the other members have"
            : "a cost head where the other members have none",
        };
      for (const key of ["value", "cost"] as const) {
        if (member[key] === null) continue;
        const h = validateEffectHeadJson(member[key], expected);
        if (!h.success) return { path: [...at, m, key, ...h.problem.path], reason: h.problem.reason };
      }
    }
    return null;
  };
  const pooled = members(u.pooled, ["pooled"]);
  if (pooled) return { success: false, problem: pooled };
  if (u.segments) {
    const codes = new Set<number>();
    for (let e = 0; e < u.segments.entries.length; e++) {
      const entry = u.segments.entries[e]!;
      const at = ["segments", "entries", e];
      if (codes.has(entry.code)) return fail([...at, "code"], `segment code ${entry.code} appears twice`);
      codes.add(entry.code);
      if (entry.support.length !== k)
        return fail(
          [...at, "support"],
          `has ${entry.support.length} entries, expected one per action (${k})`,
        );
      if ((entry.members === null) !== entry.fallback)
        return fail(
          [...at, "members"],
          entry.fallback
            ? "a segment that fell back to the pooled model has no members"
            : "missing the members of a fitted segment",
        );
      if (entry.members) {
        const p = members(entry.members, [...at, "members"]);
        if (p) return { success: false, problem: p };
      }
    }
  }
  return { success: true, data: u as unknown as UpliftModelJson };
}
