import { CiaError } from "@cia/core";
import { HistGradientBoostingModel } from "./hist-gradient-boosting-model.js";
import type { HistGradientBoostingJson } from "./hist-gradient-boosting-model.js";
import type { FittedModel, ModelJson } from "./learner.js";
import { LinearModel } from "./linear-model.js";
import type { LinearModelJson } from "./linear-model.js";
import type { LearnersErrorCode } from "./error-codes.js";

/**
 * Load any fitted model from its JSON form (object or string); `kind` selects the model type.
 * Needs no training code: the loaded model only predicts.
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
  if (typeof obj !== "object" || obj === null)
    throw new CiaError<LearnersErrorCode>("invalid_model", "a model must be a JSON object", {});
  const m = obj as ModelJson;
  if (m.version !== 1)
    throw new CiaError<LearnersErrorCode>("invalid_model", `unsupported model version ${String(m.version)}`, {
      version: m.version,
    });
  switch (m.kind) {
    case "gbdt":
      return HistGradientBoostingModel.fromJSON(m as HistGradientBoostingJson);
    case "ridge":
    case "logistic":
      return LinearModel.fromJSON(m as LinearModelJson);
    default:
      throw new CiaError<LearnersErrorCode>("invalid_model", `unknown model kind ${String(m.kind)}`, {
        kind: m.kind,
      });
  }
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
