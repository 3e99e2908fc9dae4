import { upliftCurves } from "@cia/uplift";

/** One offer's Qini curve against no offer on the holdout, thinned to at most `points` points. */
export interface QiniCurve {
  action: string;
  /** Rows of this offer or no offer. */
  rows: number;
  /** Share of those rows targeted, in model order (0..1). */
  fraction: number[];
  /** Cumulative incremental value (CausalML's Qini, in the value's units, over the rows). */
  qini: number[];
}

/**
 * Qini curves per offer (CausalML's convention through `upliftCurves`): the holdout rows that got
 * the offer or no offer, sorted by the model's predicted value uplift of that offer. The straight
 * line from (0, 0) to the last point is random targeting.
 *
 * @example
 * const curves = qiniCurves({ action, value, tauValue, k, names });
 */
export function qiniCurves(
  input: {
    action: Int32Array;
    value: Float64Array;
    /** n x K predicted value effects. */
    tauValue: Float64Array;
    k: number;
    names: readonly string[];
  },
  points = 40,
): QiniCurve[] {
  const { action, value, tauValue, k, names } = input;
  const out: QiniCurve[] = [];
  for (let a = 1; a < k; a++) {
    const rows: number[] = [];
    for (let i = 0; i < action.length; i++) if (action[i] === a || action[i] === 0) rows.push(i);
    if (rows.length < 2 || !rows.some((i) => action[i] === a) || !rows.some((i) => action[i] === 0)) continue;
    const curves = upliftCurves({
      score: rows.map((i) => tauValue[i * k + a]!),
      treatment: rows.map((i) => (action[i] === a ? 1 : 0)),
      outcome: rows.map((i) => value[i]!),
      tieOrder: "stable",
    });
    const m = curves.qini.length - 1;
    const fraction: number[] = [];
    const qini: number[] = [];
    for (let j = 0; j <= points; j++) {
      const idx = Math.round((j / points) * m);
      fraction.push(idx / m);
      qini.push(curves.qini[idx]!);
    }
    out.push({ action: names[a]!, rows: rows.length, fraction, qini });
  }
  return out;
}
