import { argsort } from "@cia/core";
import { pandasDescendingOrder } from "@cia/core/parity";

/**
 * Data for CausalML-convention uplift curves of one offer against no-offer: a model `score` per
 * row, the treatment indicator `treatment` (1 = offer, 0 = no offer), and either the observed
 * `outcome` or the true effect `trueEffect` (which takes precedence, as CausalML's `tau` column).
 *
 * @example
 * const input: UpliftCurveInput = { score: tauHat, treatment: w, outcome: y };
 */
export interface UpliftCurveInput {
  score: ArrayLike<number>;
  treatment: ArrayLike<number>;
  outcome?: ArrayLike<number> | undefined;
  trueEffect?: ArrayLike<number> | undefined;
  /**
   * Order of tied scores: `"pandas"` (default) reproduces CausalML's pandas quicksort exactly;
   * `"stable"` keeps row order among ties.
   */
  tieOrder?: "pandas" | "stable" | undefined;
}

/** Cumulative gain and Qini curves, n + 1 points each (point 0 is 0), un-normalized. */
export interface UpliftCurves {
  gain: Float64Array;
  qini: Float64Array;
}

/**
 * CausalML 0.17's cumulative gain and Qini curves. Rows are sorted by score descending, ties in
 * the order pandas' quicksort gives them (as CausalML; `tieOrder: "stable"` keeps row order), and
 * for k = 1..n:
 *
 * - true effect: gain_k = sum_{i<=k} tau_i; qini_k = (sum_{i<=k} tau_i / k) N_t(k);
 * - observed: gain_k = lift_k k with lift_k = ybar_t(k) - ybar_c(k); qini_k = Y_t(k) - Y_c(k) N_t(k) / N_c(k);
 *
 * where N_t(k), N_c(k) count treated and control rows among the top k and Y_t, Y_c sum their
 * outcomes. Undefined points (no treated or no control row yet) of the lift and the Qini curve are
 * linearly interpolated between point 0 (= 0) and the next defined point, as pandas'
 * `interpolate()`.
 *
 * @example
 * const { gain, qini } = upliftCurves({ score: [3, 2, 1], treatment: [1, 0, 1], outcome: [1, 0, 0] });
 */
export function upliftCurves(input: UpliftCurveInput): UpliftCurves {
  const n = input.score.length;
  if (input.treatment.length !== n) throw new RangeError("upliftCurves: treatment length differs from score");
  const tau = input.trueEffect;
  const y = input.outcome;
  if (!tau && !y) throw new RangeError("upliftCurves: need outcome or trueEffect");
  if ((tau && tau.length !== n) || (y && y.length !== n))
    throw new RangeError("upliftCurves: lengths differ");
  const order =
    input.tieOrder === "stable" || hasNaN(input.score)
      ? argsort(input.score, { descending: true })
      : pandasDescendingOrder(input.score);
  const gain = new Float64Array(n + 1);
  const qini = new Float64Array(n + 1);
  let nt = 0;
  let yt = 0;
  let yc = 0;
  let st = 0;
  for (let k = 1; k <= n; k++) {
    const i = order[k - 1]!;
    const w = input.treatment[i]! ? 1 : 0;
    nt += w;
    const nc = k - nt;
    if (tau) {
      st += tau[i]!;
      gain[k] = st;
      qini[k] = (st / k) * nt;
    } else {
      const yi = y![i]!;
      if (w) yt += yi;
      else yc += yi;
      // The lift (not the gain) is interpolated, then multiplied by k, as CausalML's get_cumgain.
      gain[k] = nt > 0 && nc > 0 ? yt / nt - yc / nc : Number.NaN;
      qini[k] = nc > 0 ? yt - (yc * nt) / nc : Number.NaN;
    }
  }
  if (!tau) {
    interpolateNaN(gain);
    for (let k = 1; k <= n; k++) gain[k] = gain[k]! * k;
  }
  interpolateNaN(qini);
  return { gain, qini };
}

function hasNaN(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i]!)) return true;
  return false;
}

/** Fill NaN runs linearly between defined neighbours; a trailing run takes the last defined value. */
function interpolateNaN(c: Float64Array): void {
  let last = 0;
  for (let k = 1; k < c.length; k++) {
    if (!Number.isNaN(c[k]!)) {
      if (k - last > 1) {
        const a = c[last]!;
        const b = c[k]!;
        for (let j = last + 1; j < k; j++) c[j] = a + ((b - a) * (j - last)) / (k - last);
      }
      last = k;
    }
  }
  for (let j = last + 1; j < c.length; j++) c[j] = c[last]!;
}

/**
 * CausalML's AUUC: the mean of the n + 1 points of the cumulative gain curve, divided by
 * |gain_n| when `normalize` (the default, as `causalml.metrics.auuc_score`).
 *
 * @example
 * auucScore({ score: tauHat, treatment: w, outcome: y }); // normalized
 * auucScore({ score: tauHat, treatment: w, trueEffect: tau }, { normalize: false });
 */
export function auucScore(input: UpliftCurveInput, options: { normalize?: boolean } = {}): number {
  const { gain } = upliftCurves(input);
  const scale = options.normalize === false ? 1 : Math.abs(gain[gain.length - 1]!);
  let s = 0;
  for (let k = 0; k < gain.length; k++) s += gain[k]! / scale;
  return s / gain.length;
}

/**
 * CausalML 0.17's Qini score: (sum of the n + 1 Qini points - sum of the random line
 * linspace(0, q_n, n + 1)) / (n + 1), on the curve divided by |q_n| when `normalize` (default).
 *
 * @example
 * qiniScore({ score: tauHat, treatment: w, outcome: y });
 */
export function qiniScore(input: UpliftCurveInput, options: { normalize?: boolean } = {}): number {
  const { qini } = upliftCurves(input);
  const m = qini.length;
  const last = qini[m - 1]!;
  const scale = options.normalize === false ? 1 : Math.abs(last);
  let s = 0;
  for (let k = 0; k < m; k++) s += qini[k]! / scale;
  // sum(linspace(0, L, m)) = L m / 2.
  return (s - ((last / scale) * m) / 2) / m;
}
