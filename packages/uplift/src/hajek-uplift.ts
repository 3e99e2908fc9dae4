import { normalQuantile } from "@cia/core";

/** An IPW (Hajek) uplift estimate with its linearized standard error and normal interval. */
export interface IpwEstimate {
  estimate: number;
  se: number;
  lower: number;
  upper: number;
  /** Rows contributing as offer / no-offer. */
  nTreated: number;
  nControl: number;
}

/**
 * Hajek estimate of the mean effect over a set of (unit, offer) items: item j is "treated" when
 * unit `units[j]` was logged with offer `arms[j]`, "control" when it was logged with no-offer, and
 * uninformative otherwise; weights are 1 / (logged propensity of the logged action). The SE is
 * the delta-method SE of the two weighted means (items sharing a unit are treated as independent).
 *
 * @example
 * const r = hajekUplift(units, arms, 0, units.length, action, value, propensity, 0.9);
 */
export function hajekUplift(
  units: Int32Array,
  arms: Int32Array,
  start: number,
  end: number,
  action: ArrayLike<number>,
  outcome: ArrayLike<number>,
  propensity: ArrayLike<number>,
  level = 0.9,
): IpwEstimate {
  let wt = 0;
  let yt = 0;
  let wc = 0;
  let yc = 0;
  let nt = 0;
  let nc = 0;
  for (let j = start; j < end; j++) {
    const i = units[j]!;
    const a = action[i]!;
    if (a === arms[j]) {
      const w = 1 / propensity[i]!;
      wt += w;
      yt += w * outcome[i]!;
      nt++;
    } else if (a === 0) {
      const w = 1 / propensity[i]!;
      wc += w;
      yc += w * outcome[i]!;
      nc++;
    }
  }
  const mt = wt > 0 ? yt / wt : Number.NaN;
  const mc = wc > 0 ? yc / wc : Number.NaN;
  let vt = 0;
  let vc = 0;
  for (let j = start; j < end; j++) {
    const i = units[j]!;
    const a = action[i]!;
    if (a === arms[j]) vt += (outcome[i]! - mt) ** 2 / propensity[i]! ** 2;
    else if (a === 0) vc += (outcome[i]! - mc) ** 2 / propensity[i]! ** 2;
  }
  const se = Math.sqrt(vt / (wt * wt) + vc / (wc * wc));
  const est = mt - mc;
  const z = normalQuantile(0.5 + level / 2);
  return { estimate: est, se, lower: est - z * se, upper: est + z * se, nTreated: nt, nControl: nc };
}
