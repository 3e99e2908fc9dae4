import { CiaError } from "@cia/core";
import { loadModel } from "@cia/learners";
import type { ModelLoader } from "./learner-factory.js";
import { UpliftModel, type UpliftModelJson } from "./uplift-model.js";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * Load a fitted uplift model from its JSON (object or text) without any training code; base
 * models are restored with @cia/learners' `loadModel` unless another loader is given.
 *
 * @example
 * const model = loadUpliftModel(readFileSync("model.json", "utf8"));
 * const pred = model.predict(features);
 */
export function loadUpliftModel(
  json: UpliftModelJson | string,
  loader: ModelLoader = loadModel,
): UpliftModel {
  let parsed: unknown = json;
  if (typeof json === "string") {
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new CiaError<UpliftErrorCode>("invalid_model", "uplift model JSON does not parse", {
        cause: String(e),
      });
    }
  }
  return UpliftModel.fromJSON(parsed as UpliftModelJson, loader);
}

/**
 * `loadUpliftModel` without throwing.
 *
 * @example
 * const r = safeLoadUpliftModel(text);
 * if (r.success) r.model.predict(x);
 */
export function safeLoadUpliftModel(
  json: UpliftModelJson | string,
  loader: ModelLoader = loadModel,
): { success: true; model: UpliftModel } | { success: false; error: CiaError } {
  try {
    return { success: true, model: loadUpliftModel(json, loader) };
  } catch (e) {
    if (CiaError.isInstance(e)) return { success: false, error: e };
    return {
      success: false,
      error: new CiaError<UpliftErrorCode>("invalid_model", `cannot load uplift model: ${String(e)}`, {}),
    };
  }
}
