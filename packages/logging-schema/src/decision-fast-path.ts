import { z } from "zod";
import { timeField } from "./common-fields.js";
import { type Decision, checkDecisionRules, decisionShape, designKindSchema } from "./decision-schema.js";

// zod is the source of truth for what a valid decision is; validating a decision with it costs
// ~12 us, too slow for the 100k decisions/s the readers must sustain. This hand-written check
// answers only "is this certainly valid?". A `true` must imply that zod accepts the record and
// returns equal data (proven by the property tests in decision-fast-path.test.ts); a `false` may be
// conservative, because the caller then runs zod, which produces the issues. So bad rows get
// exactly zod's issues and good rows skip zod.

// The same pattern zod compiles for `timeField`, taken from the schema itself so they cannot drift.
const TIME_RE = new RegExp((z.toJSONSchema(timeField) as { pattern: string }).pattern);
const HASH_RE = /^[0-9a-f]{64}$/;
const DESIGNS = new Set<string>(designKindSchema.options);
// The allowed keys, read off the schema so that a field added there cannot slip past this check.
const KEYS = new Set(Object.keys(decisionShape.shape));

function isId(v: unknown): boolean {
  return typeof v === "string" && v.length > 0;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isProbabilityRecord(v: unknown): boolean {
  if (!isPlainRecord(v)) return false;
  for (const key in v) {
    if (!Object.hasOwn(v, key) || key.length === 0 || key === "__proto__") return false;
    const p = v[key];
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) return false;
  }
  return true;
}

function isFeatureRecord(v: unknown): boolean {
  if (!isPlainRecord(v)) return false;
  for (const key in v) {
    if (!Object.hasOwn(v, key) || key.length === 0 || key === "__proto__") return false;
    const x = v[key];
    if (x === null || typeof x === "string" || typeof x === "boolean") continue;
    if (typeof x !== "number" || !Number.isFinite(x)) return false;
  }
  return true;
}

/**
 * True when `input` is certainly a valid {@link Decision} (then it can be used as is); false when
 * it is invalid or unusual enough that zod must decide. Internal to the package.
 */
export function isCertainlyValidDecision(input: unknown): input is Decision {
  if (!isPlainRecord(input)) return false;
  for (const key in input) {
    if (!KEYS.has(key) || !Object.hasOwn(input, key)) return false;
  }
  const d = input;
  if (d.schema_version !== 1) return false;
  if (!isId(d.decision_id) || !isId(d.unit_id) || !isId(d.program) || !isId(d.surface)) return false;
  if (!isId(d.policy_id) || !isId(d.policy_version) || !isId(d.action)) return false;
  if (typeof d.decision_time !== "string" || !TIME_RE.test(d.decision_time)) return false;
  const eligible = d.eligible_actions;
  if (!Array.isArray(eligible) || eligible.length === 0) return false;
  for (let i = 0; i < eligible.length; i++) if (!isId(eligible[i])) return false;
  const p = d.propensity;
  if (typeof p !== "number" || !(p > 0 && p <= 1)) return false;
  if (typeof d.design !== "string" || !DESIGNS.has(d.design)) return false;
  if (d.action_probabilities !== undefined && !isProbabilityRecord(d.action_probabilities)) return false;
  if (d.salt !== undefined && !isId(d.salt)) return false;
  if (d.bucket !== undefined) {
    const b = d.bucket;
    if (typeof b !== "number" || !Number.isSafeInteger(b) || b < 0) return false;
  }
  if (d.features !== undefined && !isFeatureRecord(d.features)) return false;
  if (d.feature_ref !== undefined && !isId(d.feature_ref)) return false;
  if (d.feature_contract_hash !== undefined) {
    if (typeof d.feature_contract_hash !== "string" || !HASH_RE.test(d.feature_contract_hash)) return false;
  }
  let ok = true;
  checkDecisionRules(d as Decision, () => {
    ok = false;
  });
  return ok;
}
