import { CiaError } from "@cia/core";
import { formatJsonPath } from "./validate-json-path.js";
import type { LearnersErrorCode } from "./error-codes.js";

/** Where in a model's JSON a problem is, and what it is (the `details` of an `invalid_model` error). */
export interface ModelJsonProblem {
  /** Path from the JSON root that was handed to the loader. */
  path: (string | number)[];
  /** What is wrong there, without the path (e.g. "child index 99 out of range 4..30"). */
  reason: string;
}

/**
 * The `invalid_model` error of a model JSON with the JSON path of the problem: the message is
 * `$.path: reason` and `details` is a {@link ModelJsonProblem}, so an enclosing loader (an uplift
 * model, a model file) can re-root the path with {@link modelJsonAt}.
 *
 * @example
 * throw invalidModelJson(["left", 37], "child index 99 out of range 38..57");
 */
export function invalidModelJson(
  path: readonly (string | number)[],
  reason: string,
): CiaError<LearnersErrorCode> {
  const problem: ModelJsonProblem = { path: [...path], reason };
  return new CiaError<LearnersErrorCode>("invalid_model", `${formatJsonPath(path)}: ${reason}`, {
    ...problem,
  });
}

/**
 * Run `load` on the part of a model JSON at `prefix` and re-root the path of any `invalid_model`
 * problem it reports, so the message points into the enclosing document. Other errors pass through.
 *
 * @example
 * const model = modelJsonAt(["pooled", 0, "value", "models", "outcome", 1], () => loadModel(json));
 */
export function modelJsonAt<T>(prefix: readonly (string | number)[], load: () => T): T {
  try {
    return load();
  } catch (e) {
    const problem = modelJsonProblem(e);
    if (problem) throw invalidModelJson([...prefix, ...problem.path], problem.reason);
    throw e;
  }
}

/**
 * The path and reason of an `invalid_model` error thrown by a model loader, or null for any other
 * value (an error without a path is reported at the root, `$`).
 *
 * @example
 * const p = modelJsonProblem(e); if (p) console.log(p.path, p.reason);
 */
export function modelJsonProblem(e: unknown): ModelJsonProblem | null {
  if (!CiaError.isInstance(e) || e.code !== "invalid_model") return null;
  const { path, reason } = e.details as Partial<ModelJsonProblem>;
  if (Array.isArray(path) && typeof reason === "string") return { path: [...path], reason };
  return { path: [], reason: e.message };
}
