import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CiaError } from "@cia/core";
import { featureContractHash, parseFeatureContract, zodIssuesToDataIssues } from "@cia/logging-schema";
import { type CiaModel, loadCiaModel } from "@cia/model";
import { formatIssues } from "@cia/core";
import type { ServeErrorCode } from "./error-codes.js";
import { POLICY_MANIFEST_FILE, type PolicyManifest, policyManifestSchema } from "./policy-manifest.js";

/** A loaded, checked policy bundle: the manifest and the live model. */
export interface PolicyBundle {
  dir: string;
  manifest: PolicyManifest;
  model: CiaModel;
  /** `enabled_actions` as a 0/1 mask over the model's actions (index 0, no offer, is always 1). */
  enabled: Uint8Array;
}

function bundleError(code: ServeErrorCode, message: string, details: Record<string, unknown> = {}) {
  return new CiaError<ServeErrorCode>(code, message, details);
}

/**
 * Load the bundle `cia deploy` wrote: parse `policy.json` strictly, check the model file's sha256,
 * load the model through @cia/model's loader (its own validation and contract-hash check), and
 * check that the bundle's contract file is the model's contract and that the manifest's actions are
 * the model's.
 *
 * @example
 * const bundle = loadPolicyBundle("deploy/");
 * bundle.manifest.lambda; // the batch multiplier
 */
export function loadPolicyBundle(dir: string): PolicyBundle {
  const manifestPath = join(dir, POLICY_MANIFEST_FILE);
  let raw: string;
  try {
    raw = readFileSync(manifestPath, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT")
      throw bundleError(
        "bundle_not_found",
        `${manifestPath}: no policy bundle here (write one with cia deploy --out ${dir})`,
      );
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw bundleError("invalid_bundle", `${manifestPath}: not JSON (${(e as Error).message})`);
  }
  const parsed = policyManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = zodIssuesToDataIssues(parsed.error.issues, json, { file: manifestPath });
    throw bundleError("invalid_bundle", formatIssues(issues), { issues });
  }
  const manifest = parsed.data;
  const modelPath = join(dir, manifest.model.file);
  const modelText = readFileSync(modelPath, "utf8");
  const sha = createHash("sha256").update(modelText).digest("hex");
  if (sha !== manifest.model.sha256)
    throw bundleError(
      "invalid_bundle",
      `${modelPath}: sha256 ${sha} differs from the manifest's ${manifest.model.sha256} (the file was edited? deploy again)`,
    );
  const model = loadCiaModel(modelPath);
  const contractPath = join(dir, manifest.contract.file);
  const contract = parseFeatureContract(JSON.parse(readFileSync(contractPath, "utf8")), {
    file: contractPath,
  });
  const hash = featureContractHash(contract);
  if (hash !== manifest.contract.hash || hash !== model.file.contract_hash)
    throw bundleError(
      "invalid_bundle",
      `${contractPath}: the bundle's feature contract (${hash}) is not the model's (${model.file.contract_hash})`,
    );
  const actions = model.file.actions;
  if (manifest.actions.length !== actions.length || manifest.actions.some((a, k) => a !== actions[k]))
    throw bundleError(
      "invalid_bundle",
      `${manifestPath}: actions [${manifest.actions.join(", ")}] are not the model's [${actions.join(", ")}]`,
    );
  const enabled = new Uint8Array(actions.length);
  enabled[0] = 1;
  for (const a of manifest.enabled_actions) {
    const k = actions.indexOf(a);
    if (k < 0)
      throw bundleError(
        "invalid_bundle",
        `${manifestPath}: enabled action '${a}' is not one of the model's actions`,
      );
    enabled[k] = 1;
  }
  if (manifest.guardrails.risk_lower && model.file.settings.bootstraps < 2)
    throw bundleError(
      "invalid_bundle",
      `${manifestPath}: guardrails.risk_lower needs a model trained with --bootstraps >= 2`,
    );
  return { dir, manifest, model, enabled };
}
