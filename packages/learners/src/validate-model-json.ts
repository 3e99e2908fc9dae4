import type { HistGradientBoostingJson } from "./hist-gradient-boosting-model.js";
import type { LinearModelJson } from "./linear-model.js";
import type { ModelJsonProblem } from "./validate-model-error.js";
import { gbdtModelJsonSchema, linearModelJsonSchema } from "./validate-model-schema.js";
import { validateTreeStructure } from "./validate-tree-structure.js";
import { zodProblem } from "./validate-zod-problem.js";

/** Result of {@link validateModelJson}: the checked JSON, or the first problem with its JSON path. */
export type ModelJsonValidation =
  | { success: true; data: HistGradientBoostingJson | LinearModelJson }
  | { success: false; problem: ModelJsonProblem };

/**
 * Check a base model's JSON before any of it is used: a strict schema per kind (no unknown
 * fields, `__proto__` and `constructor` included; finite numbers; integer indices in their
 * domains), then for tree models the structural rules of `validateTreeStructure` (acyclic, in
 * range, each node reached once). `loadModel` and `HistGradientBoostingModel.fromJSON` run it; call
 * it directly to report problems without loading.
 *
 * @example
 * const r = validateModelJson(JSON.parse(text));
 * if (!r.success) console.error(formatJsonPath(r.problem.path), r.problem.reason);
 */
export function validateModelJson(json: unknown): ModelJsonValidation {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return { success: false, problem: { path: [], reason: "a model must be a JSON object" } };
  const kind = (json as { kind?: unknown }).kind;
  if (kind === "gbdt") {
    const r = gbdtModelJsonSchema.safeParse(json);
    if (!r.success) return { success: false, problem: zodProblem(r.error) };
    const problem = validateTreeStructure(r.data);
    if (problem) return { success: false, problem };
    return { success: true, data: r.data as HistGradientBoostingJson };
  }
  if (kind === "ridge" || kind === "logistic") {
    const r = linearModelJsonSchema.safeParse(json);
    if (!r.success) return { success: false, problem: zodProblem(r.error) };
    return { success: true, data: r.data as LinearModelJson };
  }
  return {
    success: false,
    problem: {
      path: ["kind"],
      reason: `unknown model kind ${JSON.stringify(kind) ?? String(kind)} (expected gbdt, ridge or logistic)`,
    },
  };
}
