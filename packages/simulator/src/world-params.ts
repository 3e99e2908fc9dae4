import type { ActionSpec } from "./action-spec.js";

/** Three numbers, one per lifecycle regime in LIFECYCLES order: new, active, dormant. */
export type PerLifecycle = readonly [number, number, number];

/**
 * Who sees an offer sent through a channel (non-compliance, lesson 5):
 * P(seen | delivered) = sigmoid(intercept + emailOptIn * [opted in] + web * [web platform]
 * + perDayInactive * days_inactive); a channel with `requiresEmailOptIn` is never seen by units
 * that did not opt in.
 */
export interface ChannelSpec {
  intercept: number;
  emailOptIn: number;
  web: number;
  perDayInactive: number;
  requiresEmailOptIn: boolean;
}

/** Drift across periods (lesson 13): each term is added (or multiplied) once per period index t. */
export interface DriftParams {
  /** Added to the organic-conversion logit per period (seasonal decline when negative). */
  baselinePerPeriod: number;
  /** Added to the offer-response logit per period (offer fatigue when negative). */
  responsePerPeriod: number;
  /** Days added per period to the inactivity at which win-back offers work best. */
  resurrectionShiftPerPeriod: number;
  /** Credit needed for the same response grows by this factor per period (1 + f t). */
  creditScalePerPeriod: number;
  /** Added to the dormant share of the population per period (taken from the active share). */
  dormantSharePerPeriod: number;
}

/** A second concurrent program (lesson 6) that enrolls units and shifts their outcomes. */
export interface InterferenceParams {
  /** Program name and the action it gives enrolled units (for ConcurrentAssignment records). */
  program: string;
  action: string;
  /** Enrollment probability by lifecycle (the other program targets, so overlap is not random). */
  enrollment: PerLifecycle;
  /** Added to the organic-conversion logit of enrolled units. */
  baselineLift: number;
  /** Enrolled units' offer response is multiplied by (1 - responseDamping): overlapping incentives substitute. */
  responseDamping: number;
  /** Also expose enrollment as the feature column `concurrent_program` (default true: "log all surfaces"). */
  exposeAsFeature: boolean;
}

/**
 * Every parameter of a world. The structural model (see the README for the equations):
 * organic conversion p0 = sigmoid(eta0(x)); an offer seen by the unit converts a further share
 * u_a(x) = umax(x) (1 - exp(-credit_a / kappa(x))) of the non-organic units; converters place
 * 1 + Poisson(lambda_a(x)) orders with Gamma margins; a seen offer is redeemed (cost = credit) by
 * organic converters with probability rOrg(x) and by offer-driven converters with probability
 * `incrementalRedeem`.
 */
export interface WorldParams {
  name: string;
  description: string;
  /** Actions; index 0 must be control with credit 0. */
  actions: readonly ActionSpec[];
  /** Channel table; an action without `channel` uses `defaultChannel`. */
  channels: Readonly<Record<string, ChannelSpec>>;
  defaultChannel: string;
  /** Learning horizon of the value label and short proxy window (days; short < horizon). */
  horizonDays: number;
  shortWindowDays: number;
  /** Length of a period and the start of period 0 (ISO 8601). Decisions spread over the first `decisionSpreadDays`. */
  periodDays: number;
  startTime: string;
  decisionSpreadDays: number;
  /** Share of new, active, dormant units. */
  lifecycleShares: PerLifecycle;
  /** Organic conversion logit: intercept by lifecycle + sqrtOrders sqrt(orders_90d) + perDayInactive days_inactive + ios [ios] + email [opt-in]. */
  baselineIntercept: PerLifecycle;
  baselineSqrtOrders: PerLifecycle;
  baselinePerDayInactive: PerLifecycle;
  baselineIos: number;
  baselineEmail: number;
  /**
   * Offer response umax = responseCap sigmoid(intercept by lifecycle + sens (s - 0.5) + sensSq (s - 0.5)^2
   * + resurrection bump for dormant units (a Gaussian in days_inactive around the center) - decay per
   * day beyond `resurrectionDecayAfterDays`).
   */
  responseIntercept: PerLifecycle;
  responseSensitivity: number;
  responseSensitivitySq: number;
  responseCap: number;
  resurrectionBump: number;
  resurrectionCenterDays: number;
  resurrectionWidthDays: number;
  resurrectionDecayAfterDays: number;
  resurrectionDecayPerDay: number;
  /** kappa(x) = creditScale basket (1.3 - 0.8 s): the credit that buys 63% of the possible response. */
  creditScale: number;
  /** Repeat orders lambda0 = repeatBase + repeatSqrtOrders sqrt(orders) by lifecycle, scaled by horizon / 28. */
  repeatBase: PerLifecycle;
  repeatSqrtOrders: PerLifecycle;
  /**
   * Offer effect on repeat orders: lambda_a = lambda0 max(0, 1 + g(x) (1 - exp(-credit / repeatCreditScale))).
   * g = habituation[lifecycle], times s min(1, orders/6) for active units (deal-seekers who learn to
   * wait for offers: a negative value effect when negative).
   */
  habituation: PerLifecycle;
  repeatCreditScale: number;
  /** Margin per order = marginRate basket x Gamma(marginShape, 1 / marginShape) (smaller shape: noisier value). */
  marginRate: number;
  marginShape: number;
  /** Redemption: organic converters rOrg = organicRedeemBase + organicRedeemSensitivity s; offer-driven converters `incrementalRedeem`. */
  organicRedeemBase: number;
  organicRedeemSensitivity: number;
  incrementalRedeem: number;
  /** First-order time: organic Exponential(mean organicOrderMeanDays); offer-driven Gamma(offerOrderShape (integer), offerOrderScaleDays); both truncated at the horizon. */
  organicOrderMeanDays: number;
  offerOrderShape: number;
  offerOrderScaleDays: number;
  /** P(offer delivered) (push/email failures). */
  deliveryRate: number;
  /** Drift per period; null for a stationary world. */
  drift: DriftParams | null;
  /** The concurrent program; null when there is none. */
  interference: InterferenceParams | null;
}

/** Options of `createWorld`: any parameter can be overridden (shallow merge over the named preset). */
export type WorldOptions = Partial<WorldParams>;

const FOUR_OFFERS: readonly ActionSpec[] = [
  { name: "control", credit: 0 },
  { name: "offer_3", credit: 3 },
  { name: "offer_5", credit: 5 },
  { name: "offer_10", credit: 10 },
  { name: "offer_15", credit: 15 },
];

const CHANNELS: Readonly<Record<string, ChannelSpec>> = {
  // The generic channel (push with an email fallback): seen less by web users and by long-dormant ones.
  app: { intercept: 1.8, emailOptIn: 0.5, web: -0.6, perDayInactive: -0.012, requiresEmailOptIn: false },
  push: { intercept: 1.9, emailOptIn: 0, web: -1.5, perDayInactive: -0.018, requiresEmailOptIn: false },
  email: { intercept: 0.6, emailOptIn: 0, web: 0.3, perDayInactive: -0.002, requiresEmailOptIn: true },
};

const DEFAULT_PARAMS: WorldParams = {
  name: "default",
  description:
    "Food-delivery style win-back and growth offers: 3 lifecycle regimes, 4 credit depths plus control, " +
    "heterogeneous nonlinear effects, would-convert-anyway units, negative value effects for deal-seekers, " +
    "non-compliance, delayed redemption.",
  actions: FOUR_OFFERS,
  channels: CHANNELS,
  defaultChannel: "app",
  horizonDays: 28,
  shortWindowDays: 7,
  periodDays: 28,
  startTime: "2026-01-05T00:00:00.000Z",
  decisionSpreadDays: 1,
  lifecycleShares: [0.2, 0.45, 0.35],
  baselineIntercept: [-0.4, -0.7, -0.2],
  baselineSqrtOrders: [0.5, 0.55, 1.0],
  baselinePerDayInactive: [-0.04, -0.06, -0.025],
  baselineIos: 0.2,
  baselineEmail: 0.15,
  responseIntercept: [0.3, -2.4, -1.4],
  responseSensitivity: 5.0,
  responseSensitivitySq: 2.0,
  responseCap: 0.8,
  resurrectionBump: 1.4,
  resurrectionCenterDays: 75,
  resurrectionWidthDays: 30,
  resurrectionDecayAfterDays: 120,
  resurrectionDecayPerDay: 0.025,
  creditScale: 0.28,
  repeatBase: [0.2, 0.15, 0.1],
  repeatSqrtOrders: [0.2, 0.2, 0.15],
  habituation: [0.6, -2.5, 0.2],
  repeatCreditScale: 8,
  marginRate: 0.45,
  marginShape: 4,
  organicRedeemBase: 0.45,
  organicRedeemSensitivity: 0.45,
  incrementalRedeem: 0.95,
  organicOrderMeanDays: 10,
  offerOrderShape: 2,
  offerOrderScaleDays: 2.5,
  deliveryRate: 0.96,
  drift: null,
  interference: null,
};

/**
 * The named worlds.
 *
 * @example
 * for (const name of worldNames) console.log(name, createWorld(name).description);
 */
export const worldNames = ["default", "sparse-value", "many-actions", "interference", "drift"] as const;

/** One of {@link worldNames}. */
export type WorldName = (typeof worldNames)[number];

const CREDITS_MANY = [2, 3, 5, 7, 10, 15] as const;

/**
 * The full parameter set of a named world before option overrides.
 *
 * @example
 * presetParams("sparse-value").horizonDays; // 90
 * createWorld("default", { habituation: [0.6, 0, 0.2] }); // a variant without negative value effects
 */
export function presetParams(name: WorldName): WorldParams {
  switch (name) {
    case "default":
      return { ...DEFAULT_PARAMS };
    case "sparse-value":
      return {
        ...DEFAULT_PARAMS,
        name,
        description:
          "Long 90-day value horizon with rare, heavy-tailed orders and small effects: the long-horizon " +
          "label is sparse and noisy, the 7-day proxy is denser (lesson 1), cost labels stay dense (lesson 3).",
        horizonDays: 90,
        periodDays: 90,
        baselineIntercept: [-1.6, -1.9, -2.8],
        responseIntercept: [-1.6, -3.2, -2.4],
        responseCap: 0.35,
        marginShape: 0.3,
        organicOrderMeanDays: 40,
        habituation: [0.5, -0.6, 0.1],
      };
    case "many-actions": {
      const actions: ActionSpec[] = [{ name: "control", credit: 0 }];
      for (const channel of ["push", "email"]) {
        for (const c of CREDITS_MANY) actions.push({ name: `${channel}_${c}`, credit: c, channel });
      }
      return {
        ...DEFAULT_PARAMS,
        name,
        description:
          "A crossed 6 credit x 2 channel design (13 actions with control): thin per-cell support (lesson 2); " +
          "the channel decides who sees the offer (email needs opt-in, push fails on web and for long-dormant units).",
        actions,
      };
    }
    case "interference":
      return {
        ...DEFAULT_PARAMS,
        name,
        description:
          "A concurrent loyalty program enrolls active units more often; enrollment lifts organic conversion and " +
          "halves the response to our offers (lesson 6). Truth is conditional on the enrollment state.",
        interference: {
          program: "loyalty",
          action: "double_points",
          enrollment: [0.3, 0.6, 0.2],
          baselineLift: 0.5,
          responseDamping: 0.55,
          exposeAsFeature: true,
        },
      };
    case "drift":
      return {
        ...DEFAULT_PARAMS,
        name,
        description:
          "Baseline, offer response, credit needs, the best win-back inactivity and the lifecycle mix shift every " +
          "period (lesson 13): a policy tuned on period 0 decays.",
        drift: {
          baselinePerPeriod: -0.1,
          responsePerPeriod: -0.25,
          resurrectionShiftPerPeriod: 25,
          creditScalePerPeriod: 0.1,
          dormantSharePerPeriod: 0.04,
        },
      };
  }
}
