import type { FeatureContract, FeatureSpec } from "./feature-contract-schema.js";

// The per-value rules of a feature contract, in one place: `applyFeatureContract` (training and
// batch scoring, issues with messages and monitoring counts) and `compileFeatureContract` (serving
// one row at a time) both encode every value through these functions, so the transform a model was
// trained with is the transform it is served with (lesson 18) by construction, not by a parity test.

/** A feature's kind in {@link FeaturePlan.kind}. */
export const NUMERIC = 0;
/** See {@link NUMERIC}. */
export const BOOLEAN = 1;
/** See {@link NUMERIC}. */
export const CATEGORICAL = 2;

/** Missing policies: refuse, impute a constant (a numeric mean too), pass NaN. */
const M_ERROR = 0;
const M_IMPUTE = 1;
const M_NAN = 2;
/** Transform kinds (identity is dropped). */
const T_LOG1P = 0;
const T_CLIP = 1;
const T_STANDARDIZE = 2;

/**
 * One feature compiled once: the contract's checks, imputation and transforms as plain fields.
 * Every plan has the same shape, so a loop over plans stays monomorphic.
 */
export interface FeaturePlan {
  /** The feature's spec, for messages. */
  readonly spec: FeatureSpec;
  readonly name: string;
  /** {@link NUMERIC}, {@link BOOLEAN} or {@link CATEGORICAL}. */
  readonly kind: number;
  /** First encoded column. */
  readonly offset: number;
  /** Encoded columns: the levels of a one-hot categorical, else 1. */
  readonly width: number;
  readonly lo: number;
  readonly hi: number;
  readonly clip: boolean;
  readonly missing: number;
  /** Imputed value: the numeric constant or mean, the boolean as 0/1, the level's index; else NaN / -1. */
  readonly imputed: number;
  /** Transforms as (kind, a, b) triples. */
  readonly transforms: Float64Array;
  readonly levels: Map<string, number> | null;
  readonly oneHot: boolean;
  readonly unseenAsMissing: boolean;
}

/** The issue codes a single value can raise. */
export type ValueIssueCode =
  | "missing_value"
  | "invalid_type"
  | "not_finite"
  | "out_of_range"
  | "transform_domain"
  | "unseen_category";

/** {@link ValueNote.flags}: the value is missing (absent, null or NaN). */
export const MISSING = 1;
/** {@link ValueNote.flags}: the value was imputed. */
export const IMPUTED = 2;
/** {@link ValueNote.flags}: the value was clamped into [min, max] (`on_out_of_range: clip`). */
export const CLIPPED = 4;
/** {@link ValueNote.flags}: a categorical level outside the contract's levels. */
export const UNSEEN = 8;

/**
 * What encoding one value found, reset by every `encode*` call (one note reused, no allocation per
 * value). `issue` is the value's first issue (null: none); `detail` the number its message quotes;
 * `flags` a bit set of {@link MISSING}, {@link IMPUTED}, {@link CLIPPED} and {@link UNSEEN}.
 */
export interface ValueNote {
  issue: ValueIssueCode | null;
  detail: number;
  flags: number;
}

/**
 * A fresh {@link ValueNote}.
 *
 * @example
 * const note = valueNote();
 * encodeNumeric(plan, "7", note); // NaN; note.issue === "invalid_type"
 */
export function valueNote(): ValueNote {
  return { issue: null, detail: Number.NaN, flags: 0 };
}

function reset(note: ValueNote): void {
  note.issue = null;
  note.flags = 0;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "number" && Number.isNaN(v));
}

function planOf(f: FeatureSpec, offset: number): FeaturePlan {
  const p = f.missing.policy;
  const missing = p === "error" ? M_ERROR : p === "nan" ? M_NAN : M_IMPUTE;
  const base = {
    spec: f,
    name: f.name,
    offset,
    missing,
    lo: Number.NEGATIVE_INFINITY,
    hi: Number.POSITIVE_INFINITY,
    clip: false,
    transforms: new Float64Array(0),
    levels: null,
    oneHot: false,
    unseenAsMissing: false,
  };
  if (f.type === "numeric") {
    const ts: number[] = [];
    for (const t of f.transforms) {
      if (t.kind === "log1p") ts.push(T_LOG1P, 0, 0);
      else if (t.kind === "clip") ts.push(T_CLIP, t.min, t.max);
      else if (t.kind === "standardize") ts.push(T_STANDARDIZE, t.mean, t.sd);
    }
    const m = f.missing;
    return {
      ...base,
      kind: NUMERIC,
      width: 1,
      lo: f.min ?? Number.NEGATIVE_INFINITY,
      hi: f.max ?? Number.POSITIVE_INFINITY,
      clip: f.on_out_of_range === "clip",
      imputed: m.policy === "impute_constant" ? m.value : m.policy === "impute_mean" ? m.mean : Number.NaN,
      transforms: Float64Array.from(ts),
    };
  }
  if (f.type === "boolean") {
    const m = f.missing;
    return {
      ...base,
      kind: BOOLEAN,
      width: 1,
      imputed: m.policy === "impute_constant" ? (m.value ? 1 : 0) : Number.NaN,
    };
  }
  const levels = new Map<string, number>();
  for (let k = 0; k < f.levels.length; k++) levels.set(f.levels[k]!, k);
  const oneHot = f.encoding === "one_hot";
  return {
    ...base,
    kind: CATEGORICAL,
    width: oneHot ? f.levels.length : 1,
    imputed: f.missing.policy === "impute_constant" ? levels.get(f.missing.value)! : -1,
    levels,
    oneHot,
    unseenAsMissing: f.on_unseen === "as_missing",
  };
}

/**
 * The contract's features as plans, in contract order, each with its first encoded column.
 *
 * @example
 * const plans = featurePlans(contract);
 * plans.reduce((w, p) => w + p.width, 0) === featureColumnNames(contract).length; // true
 */
export function featurePlans(contract: Pick<FeatureContract, "features">): FeaturePlan[] {
  const plans: FeaturePlan[] = [];
  let offset = 0;
  for (const f of contract.features) {
    const plan = planOf(f, offset);
    plans.push(plan);
    offset += plan.width;
  }
  return plans;
}

/**
 * A numeric value through the contract. Missing: the missing policy (an issue under `error`);
 * otherwise a finite number, the range check (`clip` or an issue), then the transforms in order
 * (a refused value runs through them as NaN). Returns the encoded value (NaN where refused).
 *
 * @example
 * encodeNumeric(plan, 3, note); // Math.log1p(3) for a [log1p] feature
 */
export function encodeNumeric(plan: FeaturePlan, raw: unknown, note: ValueNote): number {
  reset(note);
  let x: number;
  if (isMissing(raw)) {
    if (plan.missing === M_IMPUTE) {
      x = plan.imputed;
      note.flags = MISSING | IMPUTED;
    } else {
      x = Number.NaN;
      note.flags = MISSING;
      if (plan.missing === M_ERROR) note.issue = "missing_value";
    }
  } else if (typeof raw !== "number") {
    x = Number.NaN;
    note.issue = "invalid_type";
  } else if (!Number.isFinite(raw)) {
    x = Number.NaN;
    note.issue = "not_finite";
  } else if (raw < plan.lo || raw > plan.hi) {
    if (plan.clip) {
      x = raw < plan.lo ? plan.lo : plan.hi;
      note.flags = CLIPPED;
    } else {
      x = Number.NaN;
      note.issue = "out_of_range";
    }
  } else x = raw;
  const ts = plan.transforms;
  for (let j = 0; j < ts.length; j += 3) {
    const kind = ts[j]!;
    if (kind === T_LOG1P) {
      if (x <= -1) {
        note.issue ??= "transform_domain";
        note.detail = x;
        x = Number.NaN;
      } else x = Math.log1p(x);
    } else if (kind === T_CLIP) x = x < ts[j + 1]! ? ts[j + 1]! : Math.min(x, ts[j + 2]!);
    else x = (x - ts[j + 1]!) / ts[j + 2]!;
  }
  return x;
}

/**
 * A boolean value: true / 1 / "true" is 1, false / 0 / "false" is 0, missing the missing policy,
 * anything else an `invalid_type` issue (NaN).
 *
 * @example
 * encodeBoolean(plan, "true", note); // 1
 */
export function encodeBoolean(plan: FeaturePlan, raw: unknown, note: ValueNote): number {
  reset(note);
  if (isMissing(raw)) {
    if (plan.missing === M_IMPUTE) {
      note.flags = MISSING | IMPUTED;
      return plan.imputed;
    }
    note.flags = MISSING;
    if (plan.missing === M_ERROR) note.issue = "missing_value";
    return Number.NaN;
  }
  if (raw === true || raw === 1 || raw === "true") return 1;
  if (raw === false || raw === 0 || raw === "false") return 0;
  note.issue = "invalid_type";
  return Number.NaN;
}

/**
 * A categorical value's level index, or -1 (NaN in every column of the feature: refused, or missing
 * without an imputed level). An unseen level is an issue, or missing under `on_unseen: as_missing`
 * ({@link UNSEEN} either way; {@link MISSING} only for a value that is itself missing).
 *
 * @example
 * encodeCategory(plan, "FR", note); // 1 for levels ["DE", "FR"]
 */
export function encodeCategory(plan: FeaturePlan, raw: unknown, note: ValueNote): number {
  reset(note);
  const absent = isMissing(raw);
  let missing = absent;
  if (!absent) {
    if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") {
      note.issue = "invalid_type";
      return -1;
    }
    const found = plan.levels!.get(String(raw));
    if (found !== undefined) return found;
    note.flags = UNSEEN;
    if (!plan.unseenAsMissing) {
      note.issue = "unseen_category";
      return -1;
    }
    missing = true;
  }
  if (missing) {
    if (absent) note.flags |= MISSING;
    if (plan.imputed >= 0) {
      note.flags |= IMPUTED;
      return plan.imputed;
    }
    if (plan.missing === M_ERROR) note.issue = "missing_value";
  }
  return -1;
}

function describe(v: unknown): string {
  if (typeof v === "string") return `"${v.length > 40 ? `${v.slice(0, 37)}...` : v}"`;
  if (typeof v === "object" && v !== null) return Array.isArray(v) ? "an array" : "an object";
  return String(v);
}

/**
 * The message of the issue `note` holds for `raw` (without the feature-name prefix).
 *
 * @example
 * valueIssueMessage(plan, "seven", note); // 'expected a number, got "seven"'
 */
export function valueIssueMessage(plan: FeaturePlan, raw: unknown, note: ValueNote): string {
  switch (note.issue) {
    case "missing_value":
      return "value is missing and the contract's missing policy is error";
    case "not_finite":
      return `expected a finite number, got ${raw}`;
    case "out_of_range":
      return `${raw} is outside the allowed range [${plan.lo}, ${plan.hi}]`;
    case "transform_domain":
      return `log1p needs a value > -1, got ${note.detail}`;
    case "unseen_category":
      return `level ${describe(String(raw))} was not seen in training (levels: ${plan.spec.type === "categorical" ? plan.spec.levels.join(", ") : ""})`;
    case "invalid_type":
      if (plan.kind === NUMERIC) return `expected a number, got ${describe(raw)}`;
      if (plan.kind === BOOLEAN) return `expected a boolean (true/false, 1/0), got ${describe(raw)}`;
      return `expected a category (string), got ${describe(raw)}`;
    default:
      return "no issue";
  }
}
