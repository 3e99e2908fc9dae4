import { CiaError, createRng, denseMatrix } from "@cia/core";
import type { Seed } from "@cia/core";
import type { WorldParams } from "./world-params.js";
import type { Population } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/**
 * Feature columns of every world's population, in order (`concurrent_program` is appended in the
 * interference world). `platform`, `region` and `lifecycle` are categorical (codes in the matrix).
 *
 * @example
 * const col = FEATURE_NAMES.indexOf("price_sensitivity");
 * pop.features.get(0, col);
 */
export const FEATURE_NAMES = [
  "tenure_days",
  "orders_90d",
  "basket_size",
  "days_inactive",
  "price_sensitivity",
  "email_opt_in",
  "platform",
  "region",
  "lifecycle",
] as const;

/** Column indices into `Population.features` (internal; the names above are the contract). */
export const COL = {
  tenure: 0,
  orders: 1,
  basket: 2,
  inactive: 3,
  sensitivity: 4,
  email: 5,
  platform: 6,
  region: 7,
  lifecycle: 8,
  concurrent: 9,
} as const;

/** Levels of the categorical columns. */
export const PLATFORMS = ["ios", "android", "web"] as const;
export const REGIONS = ["north", "south", "east", "west"] as const;
const PLATFORM_SHARES = [0.45, 0.4, 0.15];
// Basket size differs by region (log scale): the region is a real but weak covariate.
const REGION_LOG_BASKET = [0.1, -0.1, 0, 0.05];

/** Lifecycle shares of a period after drift, renormalized. */
export function lifecycleShares(params: WorldParams, period: number): [number, number, number] {
  let [fresh, active, dormant] = params.lifecycleShares;
  if (params.drift !== null) {
    const shift = Math.min(active - 0.05, params.drift.dormantSharePerPeriod * period);
    active -= shift;
    dormant += shift;
  }
  const total = fresh + active + dormant;
  return [fresh / total, active / total, dormant / total];
}

/** Unit id of row i in a period: "u000001" in period 0, "p2-u000001" in period 2 (ids never collide across periods). */
export function unitId(i: number, period: number): string {
  const base = `u${String(i + 1).padStart(6, "0")}`;
  return period === 0 ? base : `p${period}-${base}`;
}

/**
 * Sample a population: lifecycle first, then features conditional on it (new units have short tenure
 * and few orders, dormant units long inactivity). Deterministic in (seed, period).
 */
export function samplePopulation(params: WorldParams, n: number, seed: Seed, period: number): Population {
  if (!Number.isInteger(n) || n < 0)
    throw new CiaError<SimulatorErrorCode>("invalid_option", `n must be a non-negative integer, got ${n}`, {
      n,
    });
  if (!Number.isInteger(period) || period < 0) {
    throw new CiaError<SimulatorErrorCode>(
      "invalid_option",
      `period must be a non-negative integer, got ${period}`,
      {
        period,
      },
    );
  }
  const rng = createRng(seed).split(`population/${params.name}/${period}`);
  const inter = params.interference;
  const p = FEATURE_NAMES.length + (inter?.exposeAsFeature ? 1 : 0);
  const features = denseMatrix(n, p);
  const x = features.data;
  const lifecycle = new Uint8Array(n);
  const daysInactive = new Float64Array(n);
  const concurrent = inter === null ? undefined : new Uint8Array(n);
  const unitIds: string[] = new Array(n);
  const [shareNew, shareActive] = lifecycleShares(params, period);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const lc = u < shareNew ? 0 : u < shareNew + shareActive ? 1 : 2;
    const up = rng.next();
    const platform = up < PLATFORM_SHARES[0]! ? 0 : up < PLATFORM_SHARES[0]! + PLATFORM_SHARES[1]! ? 1 : 2;
    const region = rng.int(4);
    const email = rng.bernoulli(0.6);
    let tenure: number;
    let inactive: number;
    let orders: number;
    let sens: number;
    if (lc === 0) {
      tenure = Math.floor(1 + 29 * rng.next());
      inactive = Math.floor(tenure * rng.next() ** 2);
      orders = rng.poisson(0.6 + 0.04 * tenure);
      sens = rng.beta(2.5, 1.8);
    } else if (lc === 1) {
      tenure = Math.floor(30 + rng.gamma(2, 250));
      inactive = Math.min(27, Math.floor(rng.gamma(1.3, 5)));
      orders = rng.poisson(rng.gamma(2, 2.5));
      sens = rng.beta(2, 2);
    } else {
      tenure = Math.floor(60 + rng.gamma(2, 300));
      inactive = Math.min(400, 28 + Math.floor(rng.gamma(1.2, 60)));
      orders = inactive >= 90 ? 0 : rng.poisson(0.8);
      sens = rng.beta(2.5, 1.8);
    }
    const basket =
      Math.round(100 * Math.exp(Math.log(32) + REGION_LOG_BASKET[region]! + 0.35 * rng.normal())) / 100;
    const o = i * p;
    x[o + COL.tenure] = tenure;
    x[o + COL.orders] = orders;
    x[o + COL.basket] = basket;
    x[o + COL.inactive] = inactive;
    x[o + COL.sensitivity] = Math.round(1000 * sens) / 1000;
    x[o + COL.email] = email;
    x[o + COL.platform] = platform;
    x[o + COL.region] = region;
    x[o + COL.lifecycle] = lc;
    lifecycle[i] = lc;
    daysInactive[i] = inactive;
    if (concurrent !== undefined && inter !== null) {
      const enrolled = rng.bernoulli(inter.enrollment[lc]!);
      concurrent[i] = enrolled;
      if (inter.exposeAsFeature) x[o + COL.concurrent] = enrolled;
    }
    unitIds[i] = unitId(i, period);
  }
  const featureNames: string[] = [...FEATURE_NAMES];
  if (inter?.exposeAsFeature) featureNames.push("concurrent_program");
  return {
    n,
    unitIds,
    featureNames,
    features,
    categorical: { platform: PLATFORMS, region: REGIONS, lifecycle: ["new", "active", "dormant"] },
    lifecycle,
    daysInactive,
    period,
    concurrent,
  };
}
