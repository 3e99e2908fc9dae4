import { CiaError } from "@cia/core";
import { COL } from "./sample-population.js";
import type { ChannelSpec, WorldParams } from "./world-params.js";
import type { Population } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/**
 * The structural quantities of every unit and action, from which both the exact truth and the
 * sampled outcomes are computed (so they cannot disagree). Arrays are n (per unit) or n x K.
 */
export interface UnitModel {
  readonly n: number;
  readonly k: number;
  /** Organic conversion probability over the horizon. */
  readonly p0: Float64Array;
  /** Share of non-organic units an offer converts when seen, n x K (column 0 is 0). */
  readonly lift: Float64Array;
  /** P(seen | delivered), n x K (column 0 is 0). */
  readonly seenGivenDelivered: Float64Array;
  /** Expected repeat orders of a converter, n x K (column 0 = no offer seen). */
  readonly repeats: Float64Array;
  /** Mean margin per order. */
  readonly margin: Float64Array;
  /** Redemption probability of an organic converter who saw an offer. */
  readonly organicRedeem: Float64Array;
  /** Constants shared by all units. */
  readonly incrementalRedeem: number;
  readonly deliveryRate: number;
  /** P(first order within the short window | converted), organic and offer-driven. */
  readonly shortShareOrganic: number;
  readonly shortShareOffer: number;
  /** Mass of the untruncated first-order-time distributions inside the horizon. */
  readonly organicInHorizon: number;
  readonly offerInHorizon: number;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** CDF of Gamma(shape k integer, scale theta) at x: 1 - exp(-x/theta) sum_{j<k} (x/theta)^j / j!. */
export function gammaIntCdf(x: number, shape: number, scale: number): number {
  if (x <= 0) return 0;
  const z = x / scale;
  let term = 1;
  let acc = 1;
  for (let j = 1; j < shape; j++) {
    term *= z / j;
    acc += term;
  }
  return 1 - Math.exp(-z) * acc;
}

const PER_PERIOD_NONE = { base: 0, resp: 0, center: 0, credit: 0 };

/** Check the world parameters once, with messages that name the field. */
export function validateParams(params: WorldParams): void {
  const fail = (field: string, message: string): never => {
    throw new CiaError<SimulatorErrorCode>("invalid_world_params", `${params.name}: ${field} ${message}`, {
      field,
    });
  };
  if (params.actions.length < 2) fail("actions", "needs control plus at least one offer");
  if (params.actions[0]!.credit !== 0) fail("actions[0]", "must be the no-offer arm with credit 0");
  const names = new Set<string>();
  for (const a of params.actions) {
    if (names.has(a.name)) fail("actions", `has the name "${a.name}" twice`);
    names.add(a.name);
    if (!(a.credit >= 0) || !Number.isFinite(a.credit)) fail("actions", `"${a.name}" has credit ${a.credit}`);
    const ch = a.channel ?? params.defaultChannel;
    if (params.channels[ch] === undefined) fail("actions", `"${a.name}" uses unknown channel "${ch}"`);
  }
  if (!(params.shortWindowDays > 0 && params.shortWindowDays < params.horizonDays)) {
    fail("shortWindowDays", "must be in (0, horizonDays)");
  }
  if (!Number.isInteger(params.offerOrderShape) || params.offerOrderShape < 1)
    fail("offerOrderShape", "must be a positive integer");
  if (!(params.marginShape > 0)) fail("marginShape", "must be > 0");
  if (!(params.deliveryRate > 0 && params.deliveryRate <= 1)) fail("deliveryRate", "must be in (0, 1]");
  if (!(params.responseCap >= 0 && params.responseCap <= 1)) fail("responseCap", "must be in [0, 1]");
  if (!(params.incrementalRedeem >= 0 && params.incrementalRedeem <= 1))
    fail("incrementalRedeem", "must be in [0, 1]");
  if (!(params.organicRedeemBase >= 0 && params.organicRedeemBase + params.organicRedeemSensitivity <= 1)) {
    fail("organicRedeemBase", "plus organicRedeemSensitivity must stay in [0, 1]");
  }
  if (Number.isNaN(Date.parse(params.startTime)))
    fail("startTime", `is not an ISO 8601 time: "${params.startTime}"`);
  if (
    params.lifecycleShares.some((s) => !(s >= 0)) ||
    params.lifecycleShares.reduce((a, b) => a + b, 0) <= 0
  ) {
    fail("lifecycleShares", "must be non-negative with a positive sum");
  }
}

/** Compute the unit model of a population (pure; O(n K)). */
export function buildUnitModel(params: WorldParams, pop: Population): UnitModel {
  const { n } = pop;
  const k = params.actions.length;
  const p = pop.features.cols;
  if (pop.features.rows !== n || p < 9) {
    throw new CiaError<SimulatorErrorCode>(
      "invalid_population",
      "population features do not match this world's columns",
      {
        rows: pop.features.rows,
        cols: p,
      },
    );
  }
  const x = pop.features.data;
  const t = pop.period;
  const d = params.drift;
  const drift =
    d === null
      ? PER_PERIOD_NONE
      : {
          base: d.baselinePerPeriod * t,
          resp: d.responsePerPeriod * t,
          center: d.resurrectionShiftPerPeriod * t,
          credit: d.creditScalePerPeriod * t,
        };
  const inter = params.interference;
  const conc = pop.concurrent;
  if (inter !== null && (conc === undefined || conc.length !== n)) {
    throw new CiaError<SimulatorErrorCode>(
      "invalid_population",
      `world "${params.name}" needs population.concurrent (sample it with this world)`,
    );
  }
  const credits = new Float64Array(k);
  const channels: ChannelSpec[] = [];
  for (let a = 0; a < k; a++) {
    const spec = params.actions[a]!;
    credits[a] = spec.credit;
    channels.push(params.channels[spec.channel ?? params.defaultChannel]!);
  }
  const p0 = new Float64Array(n);
  const lift = new Float64Array(n * k);
  const seen = new Float64Array(n * k);
  const repeats = new Float64Array(n * k);
  const margin = new Float64Array(n);
  const organicRedeem = new Float64Array(n);
  const horizonScale = params.horizonDays / 28;
  const center = params.resurrectionCenterDays + drift.center;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const lc = x[o + COL.lifecycle]!;
    const orders = x[o + COL.orders]!;
    const basket = x[o + COL.basket]!;
    const inactive = x[o + COL.inactive]!;
    const sens = x[o + COL.sensitivity]!;
    const email = x[o + COL.email]!;
    const platform = x[o + COL.platform]!;
    const enrolled = conc !== undefined && inter !== null ? conc[i]! : 0;
    const sqrtOrders = Math.sqrt(orders);

    let eta0 =
      params.baselineIntercept[lc]! +
      params.baselineSqrtOrders[lc]! * sqrtOrders +
      params.baselinePerDayInactive[lc]! * inactive +
      (platform === 0 ? params.baselineIos : 0) +
      (email === 1 ? params.baselineEmail : 0) +
      drift.base;
    if (enrolled === 1) eta0 += inter!.baselineLift;
    const base = sigmoid(eta0);
    p0[i] = base;

    // Offer response: price sensitivity enters nonlinearly; dormant units respond best inside a
    // win-back window of inactivity and fade beyond it (a threshold rule cannot see the window).
    const ds = sens - 0.5;
    let beta =
      params.responseIntercept[lc]! +
      params.responseSensitivity * ds +
      params.responseSensitivitySq * ds * ds;
    if (lc === 2) {
      const zc = (inactive - center) / params.resurrectionWidthDays;
      beta += params.resurrectionBump * Math.exp(-zc * zc);
      beta -= params.resurrectionDecayPerDay * Math.max(0, inactive - params.resurrectionDecayAfterDays);
    }
    beta += drift.resp;
    let umax = params.responseCap * sigmoid(beta);
    if (enrolled === 1) umax *= 1 - inter!.responseDamping;
    const kappa = params.creditScale * basket * (1.3 - 0.8 * sens) * (1 + drift.credit);

    const lambda0 = horizonScale * (params.repeatBase[lc]! + params.repeatSqrtOrders[lc]! * sqrtOrders);
    let g = params.habituation[lc]!;
    if (lc === 1) g *= sens * Math.min(1, orders / 6);

    margin[i] = params.marginRate * basket;
    organicRedeem[i] = params.organicRedeemBase + params.organicRedeemSensitivity * sens;
    const row = i * k;
    repeats[row] = lambda0;
    for (let a = 1; a < k; a++) {
      const c = credits[a]!;
      lift[row + a] = kappa > 0 ? umax * (1 - Math.exp(-c / kappa)) : umax;
      repeats[row + a] = lambda0 * Math.max(0, 1 + g * (1 - Math.exp(-c / params.repeatCreditScale)));
      const ch = channels[a]!;
      seen[row + a] =
        ch.requiresEmailOptIn && email !== 1
          ? 0
          : sigmoid(
              ch.intercept +
                (email === 1 ? ch.emailOptIn : 0) +
                (platform === 2 ? ch.web : 0) +
                ch.perDayInactive * inactive,
            );
    }
  }
  const h = params.horizonDays;
  const s = params.shortWindowDays;
  const organicInHorizon = gammaIntCdf(h, 1, params.organicOrderMeanDays);
  const offerInHorizon = gammaIntCdf(h, params.offerOrderShape, params.offerOrderScaleDays);
  return {
    n,
    k,
    p0,
    lift,
    seenGivenDelivered: seen,
    repeats,
    margin,
    organicRedeem,
    incrementalRedeem: params.incrementalRedeem,
    deliveryRate: params.deliveryRate,
    shortShareOrganic: gammaIntCdf(s, 1, params.organicOrderMeanDays) / organicInHorizon,
    shortShareOffer: gammaIntCdf(s, params.offerOrderShape, params.offerOrderScaleDays) / offerInHorizon,
    organicInHorizon,
    offerInHorizon,
  };
}
