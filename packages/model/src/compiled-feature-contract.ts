import { type FeatureContract, featureColumnNames } from "@cia/logging-schema";

/**
 * A feature contract compiled once for row-at-a-time serving: the checks and the transform of
 * `applyFeatureContract`, per feature in contract order, without the per-call set-up (the contract
 * hash, the column names, the level maps, the issue bookkeeping). It only answers whether a row
 * passes and, if so, its encoded columns: a caller that gets `false` runs `applyFeatureContract`
 * on the row for the issues and their messages, so those stay the one function's.
 */
export interface CompiledFeatureContract {
  /** Encoded columns per row (one-hot features take one per level). */
  readonly columns: number;
  /** The contract's feature names, in order. */
  readonly featureNames: readonly string[];
  /**
   * Encode `row` into `out[offset .. offset + columns)` exactly as `applyFeatureContract` would;
   * returns false when the contract would report an issue for the row (`out` is then partly
   * written).
   */
  fillRow(row: Readonly<Record<string, unknown>>, out: Float64Array, offset: number): boolean;
}

const NUMERIC = 0;
const BOOLEAN = 1;
const CATEGORICAL = 2;
/** Missing policies: refuse, impute a constant, pass NaN (impute_mean is a constant here). */
const M_ERROR = 0;
const M_IMPUTE = 1;
const M_NAN = 2;
/** Transform kinds (identity is dropped). */
const T_LOG1P = 0;
const T_CLIP = 1;
const T_STANDARDIZE = 2;

/** One feature's compiled plan; every plan has the same shape so the row loop stays monomorphic. */
interface Plan {
  name: string;
  kind: number;
  offset: number;
  width: number;
  lo: number;
  hi: number;
  clip: boolean;
  missing: number;
  /** Imputed value: the numeric constant or mean, the boolean as 0/1, the level's index. */
  imputed: number;
  /** Transforms as (kind, a, b) triples. */
  transforms: Float64Array;
  levels: Map<string, number> | null;
  oneHot: boolean;
  unseenAsMissing: boolean;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "number" && Number.isNaN(v));
}

function planOf(f: FeatureContract["features"][number], offset: number): Plan {
  const plan: Plan = {
    name: f.name,
    kind: NUMERIC,
    offset,
    width: 1,
    lo: Number.NEGATIVE_INFINITY,
    hi: Number.POSITIVE_INFINITY,
    clip: false,
    missing: M_NAN,
    imputed: Number.NaN,
    transforms: new Float64Array(0),
    levels: null,
    oneHot: false,
    unseenAsMissing: false,
  };
  const p = f.missing.policy;
  plan.missing = p === "error" ? M_ERROR : p === "nan" ? M_NAN : M_IMPUTE;
  if (f.type === "numeric") {
    plan.lo = f.min ?? Number.NEGATIVE_INFINITY;
    plan.hi = f.max ?? Number.POSITIVE_INFINITY;
    plan.clip = f.on_out_of_range === "clip";
    if (f.missing.policy === "impute_constant") plan.imputed = f.missing.value;
    else if (f.missing.policy === "impute_mean") plan.imputed = f.missing.mean;
    const ts: number[] = [];
    for (const t of f.transforms) {
      if (t.kind === "log1p") ts.push(T_LOG1P, 0, 0);
      else if (t.kind === "clip") ts.push(T_CLIP, t.min, t.max);
      else if (t.kind === "standardize") ts.push(T_STANDARDIZE, t.mean, t.sd);
    }
    plan.transforms = Float64Array.from(ts);
  } else if (f.type === "boolean") {
    plan.kind = BOOLEAN;
    if (f.missing.policy === "impute_constant") plan.imputed = f.missing.value ? 1 : 0;
  } else {
    plan.kind = CATEGORICAL;
    const levels = new Map<string, number>();
    for (let k = 0; k < f.levels.length; k++) levels.set(f.levels[k]!, k);
    plan.levels = levels;
    plan.oneHot = f.encoding === "one_hot";
    plan.width = plan.oneHot ? f.levels.length : 1;
    plan.unseenAsMissing = f.on_unseen === "as_missing";
    if (f.missing.policy === "impute_constant") plan.imputed = levels.get(f.missing.value)!;
  }
  return plan;
}

/** A numeric value through the contract: the encoded value, or null where it reports an issue. */
function numeric(plan: Plan, raw: unknown): number | null {
  let x: number;
  if (isMissing(raw)) {
    if (plan.missing === M_ERROR) return null;
    x = plan.missing === M_IMPUTE ? plan.imputed : Number.NaN;
  } else if (typeof raw !== "number" || !Number.isFinite(raw)) return null;
  else if (raw < plan.lo || raw > plan.hi) {
    if (!plan.clip) return null;
    x = raw < plan.lo ? plan.lo : plan.hi;
  } else x = raw;
  // The transforms in order, with the same expressions as applyFeatureContract (bit for bit).
  const ts = plan.transforms;
  for (let j = 0; j < ts.length; j += 3) {
    const kind = ts[j]!;
    if (kind === T_LOG1P) {
      if (x <= -1) return null;
      x = Math.log1p(x);
    } else if (kind === T_CLIP) x = x < ts[j + 1]! ? ts[j + 1]! : Math.min(x, ts[j + 2]!);
    else x = (x - ts[j + 1]!) / ts[j + 2]!;
  }
  return x;
}

/** A categorical value's level index (-1: NaN in every column), or null where it reports an issue. */
function category(plan: Plan, raw: unknown): number | null {
  let missing = isMissing(raw);
  if (!missing) {
    if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") return null;
    const found = plan.levels!.get(String(raw));
    if (found !== undefined) return found;
    if (!plan.unseenAsMissing) return null;
    missing = true;
  }
  if (plan.missing === M_IMPUTE) return plan.imputed;
  return plan.missing === M_ERROR ? null : -1;
}

/**
 * Compile `contract` for {@link CompiledFeatureContract.fillRow}. The caller checks the contract
 * hash (once) where `applyFeatureContract` takes `expectedHash`.
 *
 * @example
 * const c = compileFeatureContract(model.file.contract);
 * const x = new Float64Array(c.columns);
 * if (!c.fillRow(request.features, x, 0)) applyFeatureContract(contract, [request.features], { mode: "report" }).issues;
 */
export function compileFeatureContract(contract: FeatureContract): CompiledFeatureContract {
  const plans: Plan[] = [];
  let offset = 0;
  for (const f of contract.features) {
    const plan = planOf(f, offset);
    plans.push(plan);
    offset += plan.width;
  }
  const columns = featureColumnNames(contract).length;
  return {
    columns,
    featureNames: contract.features.map((f) => f.name),
    fillRow(row, out, at) {
      for (let j = 0; j < plans.length; j++) {
        const plan = plans[j]!;
        const raw = row[plan.name];
        const base = at + plan.offset;
        if (plan.kind === NUMERIC) {
          const x = numeric(plan, raw);
          if (x === null) return false;
          out[base] = x;
        } else if (plan.kind === BOOLEAN) {
          let x: number;
          if (isMissing(raw)) {
            if (plan.missing === M_ERROR) return false;
            x = plan.missing === M_IMPUTE ? plan.imputed : Number.NaN;
          } else if (raw === true || raw === 1 || raw === "true") x = 1;
          else if (raw === false || raw === 0 || raw === "false") x = 0;
          else return false;
          out[base] = x;
        } else {
          const k = category(plan, raw);
          if (k === null) return false;
          if (!plan.oneHot) out[base] = k >= 0 ? k : Number.NaN;
          else for (let c = 0; c < plan.width; c++) out[base + c] = k < 0 ? Number.NaN : c === k ? 1 : 0;
        }
      }
      return true;
    },
  };
}
