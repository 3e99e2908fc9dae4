import type { FeatureContract } from "./feature-contract-schema.js";
import {
  BOOLEAN,
  CATEGORICAL,
  encodeBoolean,
  encodeCategory,
  encodeNumeric,
  featurePlans,
  valueNote,
} from "./feature-plan.js";

/**
 * A feature contract compiled once for row-at-a-time serving: `applyFeatureContract`'s encoding
 * (the same per-value functions, `feature-plan.ts`) without its per-call set-up (the contract hash,
 * the column names, the level maps, the issue bookkeeping). It only answers whether a row passes
 * and, if so, its encoded columns: a caller that gets `false` runs `applyFeatureContract` on the
 * row for the issues and their messages.
 */
export interface CompiledFeatureContract {
  /** Encoded columns per row (one-hot features take one per level). */
  readonly columns: number;
  /** The contract's feature names, in order. */
  readonly featureNames: readonly string[];
  /**
   * Encode `row` into `out[offset .. offset + columns)` exactly as `applyFeatureContract` would;
   * returns false when the contract reports an issue for the row (`out` is then partly written).
   */
  fillRow(row: Readonly<Record<string, unknown>>, out: Float64Array, offset: number): boolean;
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
  const plans = featurePlans(contract);
  const last = plans[plans.length - 1];
  const columns = last === undefined ? 0 : last.offset + last.width;
  const note = valueNote();
  return {
    columns,
    featureNames: plans.map((p) => p.name),
    fillRow(row, out, at) {
      for (let j = 0; j < plans.length; j++) {
        const plan = plans[j]!;
        const raw = row[plan.name];
        const base = at + plan.offset;
        if (plan.kind === CATEGORICAL) {
          const k = encodeCategory(plan, raw, note);
          if (note.issue !== null) return false;
          if (!plan.oneHot) out[base] = k >= 0 ? k : Number.NaN;
          else for (let c = 0; c < plan.width; c++) out[base + c] = k < 0 ? Number.NaN : c === k ? 1 : 0;
        } else {
          out[base] = plan.kind === BOOLEAN ? encodeBoolean(plan, raw, note) : encodeNumeric(plan, raw, note);
          if (note.issue !== null) return false;
        }
      }
      return true;
    },
  };
}
