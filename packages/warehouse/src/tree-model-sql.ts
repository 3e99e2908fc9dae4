import { CiaError } from "@cia/core";
import type { HistGradientBoostingJson } from "@cia/learners";
import type { Dialect } from "./dialect.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import { type Ident, type Sql, joinSql, rawSql, sql } from "./sql.js";

/** A finite double as an exact literal: its shortest round-trip text, cast (every engine parses it correctly rounded). */
function doubleLiteral(x: number, d: Dialect): Sql {
  if (!Number.isFinite(x)) throw new RangeError(`doubleLiteral needs a finite number, got ${x}`);
  return sql`CAST(${rawSql(`'${String(x)}'`)} AS ${rawSql(d.double)})`;
}

/**
 * Compile a @cia/learners gradient-boosting model (its JSON) to one SQL expression: per tree a
 * nested CASE (a missing value follows the node's missing direction, x <= threshold goes left),
 * summed onto the baseline in tree order, then the loss's inverse link (logistic: 1 / (1 +
 * exp(-r)), Poisson and Tweedie: exp(r)). Thresholds and leaf values are exact literals, so the
 * engine computes the same doubles as `model.predict` up to the rounding of exp. Categorical splits
 * are not compiled (`unsupported_option`): stream those rows to the WebAssembly predictor instead.
 *
 * @example
 * const expr = treeModelSql(model.toJSON(), [ident("x0"), ident("x1")], DIALECTS.duckdb);
 * sql`SELECT unit, ${expr} AS score FROM ${ident("features")}`;
 */
export function treeModelSql(
  model: HistGradientBoostingJson,
  features: readonly Ident[],
  d: Dialect,
  options: { raw?: boolean } = {},
): Sql {
  if (features.length !== model.nFeatures) {
    throw new CiaError<WarehouseErrorCode>(
      "invalid_option",
      `the model expects ${model.nFeatures} features, ${features.length} columns given`,
    );
  }
  if (model.catBitsets.length > 0) {
    throw new CiaError<WarehouseErrorCode>(
      "unsupported_option",
      "categorical splits are not compiled to SQL: score this model with mode 'stream'",
    );
  }
  const node = (i: number): Sql => {
    const f = model.feature[i]!;
    if (f < 0) return doubleLiteral(model.value[i]!, d);
    const x = sql`${features[f]!}`;
    const t = model.threshold[i];
    const left = node(model.left[i]!);
    const right = node(model.right[i]!);
    const missing = model.missingLeft[i] === 1 ? left : right;
    // A null threshold is +Infinity: every present value goes left.
    const cond = t === null || t === undefined ? sql`TRUE` : sql`${x} <= ${doubleLiteral(t, d)}`;
    return sql`CASE WHEN ${x} IS NULL OR ${d.isNaN(x)} THEN ${missing} WHEN ${cond} THEN ${left} ELSE ${right} END`;
  };
  const trees = model.treeRoots.map((root) => node(root));
  const sum = sql`(${joinSql([doubleLiteral(model.baseline, d), ...trees], "\n + ")})`;
  if (options.raw) return sum;
  if (model.loss === "logistic") return sql`(1 / (1 + EXP(-${sum})))`;
  if (model.loss === "poisson" || model.loss === "tweedie") return sql`EXP(${sum})`;
  return sum;
}
