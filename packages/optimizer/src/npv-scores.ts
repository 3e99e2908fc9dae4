import { CiaError } from "@cia/core";
import type { Candidates } from "./candidates.js";
import type { OptimizerErrorCode } from "./error-codes.js";

/**
 * The NPV decision score of every candidate row, tau_value - lambda * tau_cost (the methodology's
 * score_a(x) = DeltaV - lambda * credit), with lambda the budget's shadow price from
 * {@link allocate} (`totals.lambda`). A positive score means the offer pays at that price.
 *
 * @example
 * npvScores(candidates, 0.5); // Float64Array, one score per candidate row
 */
export function npvScores(candidates: Candidates, lambda: number, out?: Float64Array): Float64Array {
  if (!Number.isFinite(lambda))
    throw new CiaError<OptimizerErrorCode>("invalid_option", `lambda must be finite, got ${lambda}`);
  const n = candidates.tauValue.length;
  const res = out ?? new Float64Array(n);
  if (res.length !== n)
    throw new CiaError<OptimizerErrorCode>("shape_mismatch", `out must have ${n} entries, got ${res.length}`);
  const v = candidates.tauValue;
  const c = candidates.tauCost;
  for (let i = 0; i < n; i++) res[i] = v[i]! - lambda * c[i]!;
  return res;
}
