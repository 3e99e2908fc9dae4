import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";
import type { FeatureContract } from "./feature-contract-schema.js";

type HashedContent = Pick<FeatureContract, "schema_version" | "features">;

/**
 * The last hash of each contract object, with a deep copy of the content it was computed from.
 * Keyed weakly, so it goes with the contract. Why: serving checks the hash of the same contract
 * on every request, and canonical JSON plus sha256 cost tens of microseconds a call, while
 * comparing the content with the copy costs about one.
 */
const memo = new WeakMap<object, { content: HashedContent; hash: string }>();

/**
 * The stable content hash of a feature contract: lowercase hex sha256 of the canonical JSON
 * ({@link canonicalJson}) of `{ schema_version, features }`. The human `name` and the stored
 * `hash` are not part of it, so renaming a contract keeps its hash, and any change to a feature
 * (order, type, level, range, policy, transform parameter) changes it.
 *
 * Decisions log it as `feature_contract_hash`; a model stores it; serving refuses a mismatch.
 * Memoized per contract object: a repeat call compares the content with a copy of what was
 * hashed, so a contract edited in place is hashed again (the result never goes stale).
 *
 * @example
 * const hash = featureContractHash(contract); // "3f2a...": 64 hex characters
 */
export function featureContractHash(contract: HashedContent): string {
  const content = { schema_version: contract.schema_version, features: contract.features };
  const seen = memo.get(contract);
  if (seen !== undefined && sameJsonData(seen.content, content)) return seen.hash;
  const payload = canonicalJson(content);
  const hash = createHash("sha256").update(payload, "utf8").digest("hex");
  // The copy is taken after canonicalJson accepted the content, so it is plain JSON data.
  memo.set(contract, { content: structuredClone(content), hash });
  return hash;
}

/**
 * True only when a and b are the same JSON data (same keys with the same values, same arrays), so
 * their canonical JSON is the same. Conservative: a difference canonicalJson would ignore (an
 * `undefined` member, -0 against 0) just means hashing again.
 */
function sameJsonData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJsonData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) if (!Object.hasOwn(rb, k) || !sameJsonData(ra[k], rb[k])) return false;
  return true;
}
