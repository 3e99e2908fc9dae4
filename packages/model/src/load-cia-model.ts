import { readFileSync } from "node:fs";
import { CiaError } from "@cia/core";
import { formatJsonPath, loadModel, modelJsonAt, modelJsonProblem } from "@cia/learners";
import { featureContractHash } from "@cia/logging-schema";
import type { FeatureContract } from "@cia/logging-schema";
import { PooledEffectHead, loadUpliftModel } from "@cia/uplift";
import type { CiaModel, CiaModelFile } from "./cia-model.js";
import { ciaModelChecksum } from "./cia-model-checksum.js";
import type { ModelErrorCode } from "./error-codes.js";
import { validateCiaModelFile } from "./validate-cia-model-file.js";

/** Options of {@link loadCiaModel} and {@link parseCiaModel}. */
export interface LoadCiaModelOptions {
  /** Name of the file in messages (default: the path, or "model.json" for parsed JSON). */
  file?: string | undefined;
  /**
   * Accept a file without a `checksum` (written before model files carried one). It is still
   * validated in full (schema, structure, consistency), so it cannot crash or hang scoring, but an
   * edit that keeps it valid cannot be detected. Default false: such a file is refused.
   */
  allowMissingChecksum?: boolean | undefined;
}

function modelError(code: ModelErrorCode, message: string, details: Record<string, unknown> = {}) {
  return new CiaError<ModelErrorCode>(code, message, details);
}

/**
 * Load a model file written by `cia train` or `cia run` without retraining. Nothing in it is used
 * before it is validated: the strict schema of every section (no unknown fields, `__proto__` and
 * `constructor` included; finite numbers; integer indices in their domains), the trees'
 * structure (acyclic, children in range, each node reached once, features below the feature
 * count), and how the sections agree (control = first action, the uplift model's actions,
 * features = the contract's columns, segments = the recorded levels, catalogue attributes). Then
 * the feature contract's hash and the file's checksum are verified. A problem throws a `CiaError`
 * (exit 2 in the CLI) naming the file and the JSON path: `invalid_model`
 * (`model.json: $.uplift.pooled[0].value.models.outcome[1].left[37]: child index 99 out of range
 * 38..57 ...`), `contract_mismatch`, `checksum_mismatch` or `file_not_found`.
 *
 * @example
 * const model = loadCiaModel("model.json");
 */
export function loadCiaModel(path: string, options: LoadCiaModelOptions = {}): CiaModel {
  const file = options.file ?? path;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ENOENT") throw modelError("file_not_found", `cannot read ${path}: no such file`);
    if (code === "EISDIR") throw modelError("invalid_model", `cannot read ${path}: is a directory`);
    throw modelError("invalid_model", `cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw modelError("invalid_model", `${file}: not a JSON model file (${(e as Error).message})`);
  }
  return parseCiaModel(json, { ...options, file });
}

/**
 * {@link loadCiaModel} on JSON already in memory (parsed, e.g. from a request or a store): the
 * same validation, checksum and errors.
 *
 * @example
 * const model = parseCiaModel(JSON.parse(text), { file: "model.json" });
 */
export function parseCiaModel(json: unknown, options: LoadCiaModelOptions = {}): CiaModel {
  const file = options.file ?? "model.json";
  const f0 = json as Partial<CiaModelFile> | null;
  if (typeof json !== "object" || json === null || f0?.format !== "cia-model" || f0.version !== 1) {
    throw modelError(
      "invalid_model",
      `${file}: not a cia model file (expected format "cia-model", version 1; write one with cia train)`,
      { path: [], reason: "not a cia model file" },
    );
  }
  const invalid = (path: (string | number)[], reason: string) =>
    modelError("invalid_model", `${file}: ${formatJsonPath(path)}: ${reason}`, { file, path, reason });
  const checked = validateCiaModelFile(json);
  if (!checked.success) throw invalid(checked.problem.path, checked.problem.reason);
  const f = checked.data;
  if (featureContractHash(f.contract as FeatureContract) !== f.contract_hash) {
    throw modelError(
      "contract_mismatch",
      `${file}: $.contract_hash: the feature contract does not match its recorded hash (the file was edited?)`,
      { file, path: ["contract_hash"] },
    );
  }
  let model: CiaModel;
  try {
    const uplift = modelJsonAt(["uplift"], () => loadUpliftModel(f.uplift));
    model = { file: f, uplift };
    const d = f.decision_heads;
    if (d) {
      const head = (key: "value" | "proxy" | "cost", h: unknown) =>
        modelJsonAt(["decision_heads", key], () => PooledEffectHead.fromJSON(h as never, loadModel));
      model.decisionHeads = {
        actionAttributes: d.action_attributes,
        value: head("value", d.value),
        proxy: d.proxy ? head("proxy", d.proxy) : null,
        cost: head("cost", d.cost),
      };
    }
  } catch (e) {
    const problem = modelJsonProblem(e);
    if (problem) throw invalid(problem.path, problem.reason);
    // Validated input that still fails to load is reported as a bad model, never as a crash.
    throw invalid([], `cannot be loaded (${(e as Error).message})`);
  }
  if (f.checksum === undefined) {
    if (!options.allowMissingChecksum) {
      throw invalid(
        ["checksum"],
        "missing: the file has no checksum, so edits to it cannot be detected (written by an older cia, or the field was removed); retrain with cia train",
      );
    }
  } else {
    const actual = ciaModelChecksum(json as CiaModelFile);
    if (actual !== f.checksum) {
      throw modelError(
        "checksum_mismatch",
        `${file} was modified after training (checksum ${f.checksum} recorded, ${actual} found); retrain with cia train, or restore the file as it was written`,
        { file, path: ["checksum"], expected: f.checksum, actual },
      );
    }
  }
  return model;
}

/**
 * {@link loadCiaModel} without throwing: `{ success: true, model }` or `{ success: false, error }`.
 *
 * @example
 * const r = safeLoadCiaModel("model.json");
 * if (!r.success) console.error(r.error.message);
 */
export function safeLoadCiaModel(
  path: string,
  options: LoadCiaModelOptions = {},
): { success: true; model: CiaModel } | { success: false; error: CiaError } {
  try {
    return { success: true, model: loadCiaModel(path, options) };
  } catch (e) {
    if (CiaError.isInstance(e)) return { success: false, error: e };
    return { success: false, error: modelError("invalid_model", `cannot load ${path}: ${String(e)}`) };
  }
}
