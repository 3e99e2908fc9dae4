import { CiaError } from "@cia/core";
import { HistGradientBoostingModel } from "./hist-gradient-boosting-model.js";
import type { HistGradientBoostingJson } from "./hist-gradient-boosting-model.js";
import type { FittedModel, ModelJson } from "./learner.js";
import { LinearModel } from "./linear-model.js";
import type { LinearModelJson } from "./linear-model.js";
import type { LearnersErrorCode } from "./error-codes.js";
import { invalidModelJson } from "./validate-model-error.js";
import { validateModelJson } from "./validate-model-json.js";

/**
 * Load any fitted model from its JSON form (object or string); `kind` selects the model type.
 * Needs no training code: the loaded model only predicts. The JSON is validated before use
 * (`validateModelJson`: strict schema, finite numbers, tree structure); a problem throws
 * `invalid_model` whose message and `details` carry the JSON path (`$.left[37]: child index 99
 * out of range 38..57 ...`).
 *
 * @example
 * const text = JSON.stringify(model.toJSON());
 * const again = loadModel(text);
 * again.predict(xTest);
 */
export function loadModel(json: ModelJson | string): FittedModel {
  let obj: unknown = json;
  if (typeof json === "string") {
    try {
      obj = JSON.parse(json);
    } catch (cause) {
      throw new CiaError<LearnersErrorCode>("invalid_model", "model JSON does not parse", {}, { cause });
    }
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    throw invalidModelJson([], "a model must be a JSON object");
  const m = obj as ModelJson;
  if (m.version !== 1) throw invalidModelJson(["version"], `unsupported model version ${String(m.version)}`);
  if (m.kind === "gbdt") return HistGradientBoostingModel.fromJSON(m as HistGradientBoostingJson);
  const checked = validateModelJson(m);
  if (!checked.success) throw invalidModelJson(checked.problem.path, checked.problem.reason);
  return LinearModel.fromJSON(checked.data as LinearModelJson);
}

/**
 * {@link loadModel} without throwing: `{ success: true, model }` or `{ success: false, error }`.
 *
 * @example
 * const r = safeLoadModel(text);
 * if (r.success) r.model.predict(x);
 */
export function safeLoadModel(
  json: ModelJson | string,
): { success: true; model: FittedModel } | { success: false; error: CiaError } {
  try {
    return { success: true, model: loadModel(json) };
  } catch (e) {
    if (CiaError.isInstance(e)) return { success: false, error: e };
    return {
      success: false,
      error: new CiaError<LearnersErrorCode>("invalid_model", String(e), {}, { cause: e }),
    };
  }
}
