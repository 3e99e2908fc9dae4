import { gammaIntCdf } from "./unit-model.js";
import type { UnitModel } from "./unit-model.js";
import type { WorldParams } from "./world-params.js";
import type { Truth } from "./world-types.js";

/**
 * Exact expectations from the unit model (no Monte Carlo). For an offer a that is seen:
 * P(convert) = p0 + (1 - p0) u_a; E[value] = margin P(convert) (1 + lambda_a);
 * E[short value] = margin (p0 phiOrganic + (1 - p0) u_a phiOffer);
 * E[cost] = credit_a (p0 rOrg + (1 - p0) u_a rInc). An offer not seen leaves the control outcome,
 * so the reported means are intention-to-treat: s_a E[. | seen] + (1 - s_a) E[. | control].
 */
export function computeTruth(params: WorldParams, m: UnitModel): Truth {
  const { n, k } = m;
  const nk = n * k;
  const meanValue = new Float64Array(nk);
  const meanCost = new Float64Array(nk);
  const meanValueShort = new Float64Array(nk);
  const tauValue = new Float64Array(nk);
  const tauCost = new Float64Array(nk);
  const tauValueShort = new Float64Array(nk);
  const phi0 = m.shortShareOrganic;
  const phi1 = m.shortShareOffer;
  const rInc = m.incrementalRedeem;
  const delivery = m.deliveryRate;
  // Locals instead of property loads inside the hot loop.
  const p0s = m.p0;
  const margins = m.margin;
  const repeats = m.repeats;
  const lifts = m.lift;
  const seen = m.seenGivenDelivered;
  const organicRedeem = m.organicRedeem;
  const credits = Float64Array.from(params.actions, (a) => a.credit);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    const p0 = p0s[i]!;
    const mg = margins[i]!;
    const rOrg = organicRedeem[i]!;
    const v0 = mg * p0 * (1 + repeats[row]!);
    const s0 = mg * p0 * phi0;
    meanValue[row] = v0;
    meanValueShort[row] = s0;
    for (let a = 1; a < k; a++) {
      const j = row + a;
      const u = lifts[j]!;
      const s = delivery * seen[j]!;
      const extra = (1 - p0) * u;
      const v1 = mg * (p0 + extra) * (1 + repeats[j]!);
      const sh1 = mg * (p0 * phi0 + extra * phi1);
      const c1 = credits[a]! * (p0 * rOrg + extra * rInc);
      const dv = s * (v1 - v0);
      const ds = s * (sh1 - s0);
      const dc = s * c1;
      meanValue[j] = v0 + dv;
      meanValueShort[j] = s0 + ds;
      meanCost[j] = dc;
      tauValue[j] = dv;
      tauValueShort[j] = ds;
      tauCost[j] = dc;
    }
  }
  return { n, k, meanValue, meanCost, tauValue, tauCost, meanValueShort, tauValueShort };
}

/**
 * Exact expected redeemed cost per unit by each day after the decision under a policy: the
 * redemption happens at the first order, whose time is Exponential (organic) or Gamma (offer-driven)
 * truncated at the horizon.
 */
export function computeLiabilityCurve(
  params: WorldParams,
  m: UnitModel,
  policy: Float64Array,
  days: ArrayLike<number>,
): Float64Array {
  const { n, k } = m;
  const h = params.horizonDays;
  const nd = days.length;
  const f0 = new Float64Array(nd);
  const f1 = new Float64Array(nd);
  for (let j = 0; j < nd; j++) {
    const t = Math.min(days[j]!, h);
    f0[j] = gammaIntCdf(t, 1, params.organicOrderMeanDays) / m.organicInHorizon;
    f1[j] = gammaIntCdf(t, params.offerOrderShape, params.offerOrderScaleDays) / m.offerInHorizon;
  }
  // Per unit, the policy-weighted organic and offer-driven redemption masses; then one pass per day.
  let organicMass = 0;
  let offerMass = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    const p0 = m.p0[i]!;
    for (let a = 1; a < k; a++) {
      const w = policy[row + a]!;
      if (w === 0) continue;
      const sc = w * m.deliveryRate * m.seenGivenDelivered[row + a]! * params.actions[a]!.credit;
      organicMass += sc * p0 * m.organicRedeem[i]!;
      offerMass += sc * (1 - p0) * m.lift[row + a]! * m.incrementalRedeem;
    }
  }
  const out = new Float64Array(nd);
  if (n === 0) return out;
  for (let j = 0; j < nd; j++) out[j] = (organicMass * f0[j]! + offerMass * f1[j]!) / n;
  return out;
}
