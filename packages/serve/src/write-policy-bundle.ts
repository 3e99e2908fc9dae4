import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { featureContractHash, writeFileAtomic } from "@cia/logging-schema";
import type { FeatureContract } from "@cia/logging-schema";
import { POLICY_MANIFEST_FILE, type PolicyManifest, policyManifestSchema } from "./policy-manifest.js";

/** What {@link writePolicyBundle} needs: the model file's exact text and the manifest's settings. */
export interface PolicyBundleInput {
  /** The model file's text, as `cia train` wrote it (stored byte for byte). */
  modelText: string;
  /** The model's feature contract (copied beside the model as the bundle's contract file). */
  contract: FeatureContract;
  /** Everything else of the manifest. `model_version` defaults to the model file's sha256 prefix. */
  manifest: Omit<
    PolicyManifest,
    "format" | "version" | "model" | "contract" | "created_at" | "model_version"
  > & {
    model_version?: string | undefined;
    created_at?: string | undefined;
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Write a policy bundle into `dir` atomically: the model and contract files go under names that
 * carry their content hash (`model-<sha16>.json`, `contract-<sha16>.json`, each by temp file +
 * rename), then `policy.json` is renamed into place last. A reader sees either the old bundle or
 * the new one, never a mix, and a re-deploy never overwrites a file an older manifest names.
 *
 * @example
 * const manifest = await writePolicyBundle("deploy/", { modelText, contract: model.file.contract, manifest: { policy_id: "winback", ... } });
 */
export async function writePolicyBundle(dir: string, input: PolicyBundleInput): Promise<PolicyManifest> {
  await mkdir(dir, { recursive: true });
  const modelSha = sha256(input.modelText);
  const contractHash = featureContractHash(input.contract);
  const modelFile = `model-${modelSha.slice(0, 16)}.json`;
  const contractFile = `contract-${contractHash.slice(0, 16)}.json`;
  const { model_version, created_at, ...rest } = input.manifest;
  const manifest = policyManifestSchema.parse({
    format: "cia-policy",
    version: 1,
    ...rest,
    model_version: model_version ?? modelSha.slice(0, 12),
    created_at: created_at ?? new Date().toISOString(),
    model: { file: modelFile, sha256: modelSha },
    contract: { file: contractFile, hash: contractHash },
  } satisfies PolicyManifest);
  await writeFileAtomic(join(dir, modelFile), input.modelText);
  await writeFileAtomic(join(dir, contractFile), `${JSON.stringify(input.contract, null, 2)}\n`);
  await writeFileAtomic(join(dir, POLICY_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
