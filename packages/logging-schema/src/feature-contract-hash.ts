import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";
import type { FeatureContract } from "./feature-contract-schema.js";

/**
 * The stable content hash of a feature contract: lowercase hex sha256 of the canonical JSON
 * ({@link canonicalJson}) of `{ schema_version, features }`. The human `name` and the stored
 * `hash` are not part of it, so renaming a contract keeps its hash, and any change to a feature
 * (order, type, level, range, policy, transform parameter) changes it.
 *
 * Decisions log it as `feature_contract_hash`; a model stores it; serving refuses a mismatch.
 *
 * @example
 * const hash = featureContractHash(contract); // "3f2a...": 64 hex characters
 */
export function featureContractHash(contract: Pick<FeatureContract, "schema_version" | "features">): string {
  const payload = canonicalJson({ schema_version: contract.schema_version, features: contract.features });
  return createHash("sha256").update(payload, "utf8").digest("hex");
}
