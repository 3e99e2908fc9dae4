import type { ModelJsonProblem } from "@cia/learners";
import { zodProblem } from "@cia/learners";
import { featureColumnNames, safeParseFeatureContract } from "@cia/logging-schema";
import { META_LEARNER_KINDS } from "@cia/uplift";
import type { JsonValidation } from "@cia/uplift";
import { z } from "zod";
import type { CiaModelFile } from "./cia-model.js";

const objectRef = (what: string) =>
  z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), {
    message: `expected ${what}`,
  });

/** Own keys that must never appear in a model file (prototype pollution on a later copy). */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The top level of a model file (`cia train` / `cia run` write it), strict: no unknown fields.
 * The sections are checked by their own validators: the contract by @cia/logging-schema, the
 * uplift model and the decision heads by @cia/uplift, base models by @cia/learners.
 *
 * @example
 * ciaModelFileSchema.safeParse(JSON.parse(readFileSync("model.json", "utf8")));
 */
export const ciaModelFileSchema = z.strictObject({
  format: z.literal("cia-model"),
  version: z.literal(1),
  control: z.string().min(1),
  actions: z.array(z.string().min(1)).min(2),
  contract: objectRef("a feature contract object"),
  contract_hash: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits"),
  segment: z.strictObject({ column: z.string().min(1), levels: z.array(z.string()).min(1) }).nullable(),
  settings: z.strictObject({
    learner: z.enum(META_LEARNER_KINDS as [string, ...string[]]),
    base: z.enum(["gbdt", "ridge"]),
    bootstraps: z.int().min(0),
    propensity: z.enum(["column", "estimate", "logged"]),
    seed: z.string(),
  }),
  training: z.strictObject({
    rows: z.int().min(0),
    per_action: objectRef("an object of row counts by action"),
    has_cost: z.boolean(),
  }),
  uplift: objectRef("an uplift model object"),
  decision_heads: z
    .strictObject({
      action_attributes: z.array(z.array(z.number())),
      value: objectRef("a pooled effect head"),
      proxy: objectRef("a pooled effect head").nullable(),
      cost: objectRef("a pooled effect head"),
    })
    .optional(),
  checksum: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, 'expected "sha256:" and 64 lowercase hex digits')
    .optional(),
});

type Path = (string | number)[];

/**
 * Check a model file's top level and how its sections agree, before any model in it is built:
 * the strict schema; a valid feature contract; `control` is the first action and the actions are
 * unique and the uplift model's; the uplift model reads as many columns as the contract writes,
 * was fitted by the recorded learner, has one member per bootstrap and a cost head exactly when
 * training had cost; training counts name known actions and add up; the lifecycle segments are
 * the recorded levels (a fitted segment's code and name match a level); the decision heads
 * score the same actions and features with the recorded catalogue attributes. The sections'
 * contents are checked when they are loaded. Returns the first problem with its JSON path.
 *
 * @example
 * const r = validateCiaModelFile(JSON.parse(text));
 * if (!r.success) console.error(formatJsonPath(r.problem.path), r.problem.reason);
 */
export function validateCiaModelFile(json: unknown): JsonValidation<CiaModelFile> {
  const r = ciaModelFileSchema.safeParse(json);
  if (!r.success) return { success: false, problem: zodProblem(r.error) };
  const problem = crossCheck(r.data as unknown as CiaModelFile);
  if (problem) return { success: false, problem };
  return { success: true, data: r.data as unknown as CiaModelFile };
}

function crossCheck(f: CiaModelFile): ModelJsonProblem | null {
  const at = (path: Path, reason: string): ModelJsonProblem => ({ path, reason });
  const contract = safeParseFeatureContract(f.contract);
  if (!contract.success) {
    const issue = contract.issues[0]!;
    return at(["contract", ...issue.path], issue.message);
  }
  if (f.control !== f.actions[0])
    return at(
      ["control"],
      `${JSON.stringify(f.control)} is not the first action ${JSON.stringify(f.actions[0])} (action 0 is the control)`,
    );
  const actions = new Set<string>();
  for (let a = 0; a < f.actions.length; a++) {
    if (actions.has(f.actions[a]!))
      return at(["actions", a], `action ${JSON.stringify(f.actions[a])} appears twice`);
    actions.add(f.actions[a]!);
  }
  const u = f.uplift as unknown as Record<string, unknown>;
  const names = u.actionNames;
  if (!Array.isArray(names) || names.length !== f.actions.length)
    return at(["uplift", "actionNames"], `must list the ${f.actions.length} actions of $.actions`);
  for (let a = 0; a < f.actions.length; a++) {
    if (names[a] !== f.actions[a])
      return at(
        ["uplift", "actionNames", a],
        `is ${JSON.stringify(names[a])}, $.actions[${a}] is ${JSON.stringify(f.actions[a])}`,
      );
  }
  if (u.nActions !== f.actions.length)
    return at(["uplift", "nActions"], `is ${String(u.nActions)}, the file has ${f.actions.length} actions`);
  const width = featureColumnNames(contract.data).length;
  if (u.nFeatures !== width)
    return at(
      ["uplift", "nFeatures"],
      `is ${String(u.nFeatures)}, the feature contract writes ${width} columns`,
    );
  if (u.meta !== f.settings.learner)
    return at(
      ["uplift", "meta"],
      `is ${JSON.stringify(u.meta)}, $.settings.learner is ${JSON.stringify(f.settings.learner)}`,
    );
  const pooled = u.pooled;
  if (Array.isArray(pooled)) {
    const expected = Math.max(1, f.settings.bootstraps);
    if (pooled.length !== expected)
      return at(
        ["uplift", "pooled"],
        `has ${pooled.length} members, $.settings.bootstraps = ${f.settings.bootstraps} means ${expected}`,
      );
    const cost = (pooled[0] as { cost?: unknown } | undefined)?.cost;
    if ((cost !== null && cost !== undefined) !== f.training.has_cost)
      return at(
        ["uplift", "pooled", 0, "cost"],
        f.training.has_cost
          ? "missing, but $.training.has_cost is true"
          : "present, but $.training.has_cost is false",
      );
  }
  let total = 0;
  for (const [key, count] of Object.entries(f.training.per_action)) {
    if (FORBIDDEN_KEYS.has(key) || !actions.has(key))
      return at(["training", "per_action", key], `${JSON.stringify(key)} is not one of $.actions`);
    if (!(typeof count === "number" && Number.isInteger(count) && count >= 0))
      return at(["training", "per_action", key], `expected a row count, got ${JSON.stringify(count)}`);
    total += count;
  }
  if (total !== f.training.rows)
    return at(["training", "per_action"], `counts add up to ${total}, $.training.rows is ${f.training.rows}`);
  const segProblem = checkSegments(f, u.segments);
  if (segProblem) return segProblem;
  const d = f.decision_heads;
  if (d) {
    if (d.action_attributes.length !== f.actions.length)
      return at(
        ["decision_heads", "action_attributes"],
        `has ${d.action_attributes.length} rows, expected one per action (${f.actions.length})`,
      );
    for (const key of ["value", "proxy", "cost"] as const) {
      const h = d[key] as Record<string, unknown> | null;
      if (h === null) continue;
      if (h.nActions !== f.actions.length)
        return at(
          ["decision_heads", key, "nActions"],
          `is ${String(h.nActions)}, the file has ${f.actions.length} actions`,
        );
      if (h.nFeatures !== width)
        return at(
          ["decision_heads", key, "nFeatures"],
          `is ${String(h.nFeatures)}, the feature contract writes ${width} columns`,
        );
      if (JSON.stringify(h.actionAttributes) !== JSON.stringify(d.action_attributes))
        return at(
          ["decision_heads", key, "actionAttributes"],
          "differ from $.decision_heads.action_attributes (the catalogue)",
        );
    }
  }
  return null;
}

function checkSegments(f: CiaModelFile, segments: unknown): ModelJsonProblem | null {
  if (f.segment === null) {
    if (segments !== null && segments !== undefined)
      return { path: ["uplift", "segments"], reason: "segment models without a $.segment column" };
    return null;
  }
  const levels = f.segment.levels;
  const seen = new Set<string>();
  for (let j = 0; j < levels.length; j++) {
    if (seen.has(levels[j]!))
      return { path: ["segment", "levels", j], reason: `level ${JSON.stringify(levels[j])} appears twice` };
    seen.add(levels[j]!);
  }
  const s = segments as { entries?: unknown } | null | undefined;
  if (!s || !Array.isArray(s.entries))
    return {
      path: ["uplift", "segments"],
      reason: `missing, but $.segment names column ${JSON.stringify(f.segment.column)}`,
    };
  for (let e = 0; e < s.entries.length; e++) {
    const entry = s.entries[e] as { code?: unknown; name?: unknown };
    const code = entry?.code;
    if (typeof code !== "number" || !Number.isInteger(code) || code < 0 || code >= levels.length)
      return {
        path: ["uplift", "segments", "entries", e, "code"],
        reason: `segment code ${JSON.stringify(code)} out of range 0..${levels.length - 1} ($.segment.levels)`,
      };
    if (entry.name !== levels[code])
      return {
        path: ["uplift", "segments", "entries", e, "name"],
        reason: `is ${JSON.stringify(entry.name)}, $.segment.levels[${code}] is ${JSON.stringify(levels[code])}`,
      };
  }
  return null;
}
