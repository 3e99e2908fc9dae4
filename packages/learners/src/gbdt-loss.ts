import { CiaError, pairwiseSum } from "@cia/core";
import type { LearnersErrorCode } from "./error-codes.js";

/** Loss names accepted by `HistGradientBoosting`. */
export type GbdtLossName = "squared_error" | "logistic" | "poisson" | "tweedie";

/**
 * A boosting loss on the raw (link) scale, written as sklearn's "half" losses so gradients,
 * hessians and baselines match sklearn: squared error 0.5 (y - r)^2 (identity link), binary
 * logistic log(1 + e^r) - y r (logit link), Poisson e^r - y r and Tweedie (log link).
 */
export interface GbdtLoss {
  readonly name: GbdtLossName;
  /** True when the hessian is 1 for every row (weights then make it the weight). */
  readonly constantHessian: boolean;
  /** Raw prediction before any tree (weighted mean on the link scale). */
  baseline(y: ArrayLike<number>, w: ArrayLike<number> | undefined): number;
  /** Fill gradients (and hessians unless constant) for raw predictions `raw`. */
  gradients(
    y: Float64Array,
    raw: Float64Array,
    w: Float64Array | null,
    g: Float32Array,
    h: Float32Array,
  ): void;
  /** Weighted mean loss (for early stopping). */
  meanLoss(y: Float64Array, raw: Float64Array, w: Float64Array | null): number;
  /** Inverse link: raw margin to prediction (in place). */
  inverseLink(raw: Float64Array): void;
  /** Check targets; throws CiaError on invalid values. */
  validate(y: Float64Array): void;
}

const EPS = 2.220446049250313e-16;

function weightedAverage(y: ArrayLike<number>, w: ArrayLike<number> | undefined): number {
  if (!w) return pairwiseSum(y) / y.length;
  // np.average: sum(y * w) / sum(w), both pairwise sums
  const yw = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) yw[i] = y[i]! * w[i]!;
  return pairwiseSum(yw) / pairwiseSum(w);
}

function checkFinite(y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!))
      throw new CiaError<LearnersErrorCode>("invalid_target", `target is not finite at row ${i}`, {
        row: i,
        value: y[i],
      });
  }
}

function checkNonNegative(y: Float64Array, name: string): void {
  let any = false;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new CiaError<LearnersErrorCode>(
        "invalid_target",
        `${name} needs finite targets >= 0; row ${i} is ${v}`,
        {
          row: i,
          value: v,
        },
      );
    if (v > 0) any = true;
  }
  if (!any)
    throw new CiaError<LearnersErrorCode>("invalid_target", `${name} needs at least one positive target`, {});
}

const squaredError: GbdtLoss = {
  name: "squared_error",
  constantHessian: true,
  baseline: weightedAverage,
  gradients(y, raw, w, g) {
    const n = y.length;
    if (w) for (let i = 0; i < n; i++) g[i] = w[i]! * (raw[i]! - y[i]!);
    else for (let i = 0; i < n; i++) g[i] = raw[i]! - y[i]!;
  },
  meanLoss(y, raw, w) {
    return weightedMeanLoss(w, y.length, (wi, i) => {
      const d = y[i]! - raw[i]!;
      return wi * 0.5 * d * d;
    });
  },
  inverseLink() {},
  validate: checkFinite,
};

const logistic: GbdtLoss = {
  name: "logistic",
  constantHessian: false,
  baseline(y, w) {
    const p = Math.min(Math.max(weightedAverage(y, w), EPS), 1 - EPS);
    return Math.log(p / (1 - p));
  },
  gradients(y, raw, w, g, h) {
    const n = y.length;
    for (let i = 0; i < n; i++) {
      // Stable forms of sklearn's half-binomial gradient and hessian.
      const r = raw[i]!;
      const yi = y[i]!;
      let gi: number;
      let hi: number;
      if (r > -37) {
        const e = Math.exp(-r);
        gi = (1 - yi - yi * e) / (1 + e);
        hi = e / ((1 + e) * (1 + e));
      } else {
        const e = Math.exp(r);
        gi = e - yi;
        hi = e;
      }
      const wi = w ? w[i]! : 1;
      g[i] = wi * gi;
      h[i] = wi * hi;
    }
  },
  meanLoss(y, raw, w) {
    return weightedMeanLoss(w, y.length, (wi, i) => {
      const r = raw[i]!;
      // log(1 + e^r) computed without overflow
      return wi * ((r > 0 ? r + Math.log1p(Math.exp(-r)) : Math.log1p(Math.exp(r))) - y[i]! * r);
    });
  },
  inverseLink(raw) {
    for (let i = 0; i < raw.length; i++) raw[i] = 1 / (1 + Math.exp(-raw[i]!));
  },
  validate(y) {
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!;
      if (!(v >= 0 && v <= 1))
        throw new CiaError<LearnersErrorCode>(
          "invalid_target",
          `logistic loss needs targets in [0, 1]; row ${i} is ${v}`,
          {
            row: i,
            value: v,
          },
        );
    }
  },
};

function logMeanBaseline(y: ArrayLike<number>, w: ArrayLike<number> | undefined): number {
  return Math.log(Math.max(weightedAverage(y, w), 10 * EPS));
}

const poisson = logLinkLoss("poisson", {
  gradients(y, raw, w, g, h) {
    for (let i = 0; i < y.length; i++) {
      const e = Math.exp(raw[i]!);
      const wi = w ? w[i]! : 1;
      g[i] = wi * (e - y[i]!);
      h[i] = wi * e;
    }
  },
  meanLoss(y, raw, w) {
    return weightedMeanLoss(w, y.length, (wi, i) => wi * (Math.exp(raw[i]!) - y[i]! * raw[i]!));
  },
});

function tweedie(power: number): GbdtLoss {
  if (power === 1) return poisson;
  const a = 2 - power;
  const b = 1 - power;
  return logLinkLoss("tweedie", {
    gradients(y, raw, w, g, h) {
      for (let i = 0; i < y.length; i++) {
        const r = raw[i]!;
        const ea = Math.exp(a * r);
        const eb = Math.exp(b * r);
        const wi = w ? w[i]! : 1;
        g[i] = wi * (ea - y[i]! * eb);
        h[i] = wi * (a * ea - b * y[i]! * eb);
      }
    },
    meanLoss(y, raw, w) {
      return weightedMeanLoss(w, y.length, (wi, i) => {
        const r = raw[i]!;
        return wi * (Math.exp(a * r) / a - (y[i]! * Math.exp(b * r)) / b);
      });
    },
  });
}

/**
 * A log-link loss (Poisson, Tweedie) from its gradients and mean loss: the rest is shared, the
 * baseline log(weighted mean of y), the inverse link exp, and targets >= 0 with one positive.
 */
function logLinkLoss(name: "poisson" | "tweedie", parts: Pick<GbdtLoss, "gradients" | "meanLoss">): GbdtLoss {
  return {
    name,
    constantHessian: false,
    baseline: logMeanBaseline,
    gradients: parts.gradients,
    meanLoss: parts.meanLoss,
    inverseLink(raw) {
      for (let i = 0; i < raw.length; i++) raw[i] = Math.exp(raw[i]!);
    },
    validate(y) {
      checkNonNegative(y, `${name} loss`);
    },
  };
}

/**
 * sum_i term(w_i, i) / sum_i w_i, in row order (w_i = 1 when unweighted); `term` returns the
 * weighted loss of row i, so each loss keeps its own order of multiplication.
 */
function weightedMeanLoss(
  w: Float64Array | null,
  n: number,
  term: (wi: number, i: number) => number,
): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    s += term(wi, i);
    sw += wi;
  }
  return s / sw;
}

/** The loss object for a name (and Tweedie power, 1 <= power < 2). */
export function gbdtLoss(name: GbdtLossName, tweediePower = 1.5): GbdtLoss {
  switch (name) {
    case "squared_error":
      return squaredError;
    case "logistic":
      return logistic;
    case "poisson":
      return poisson;
    case "tweedie":
      if (!(tweediePower >= 1 && tweediePower < 2)) {
        throw new CiaError<LearnersErrorCode>(
          "invalid_option",
          `tweediePower must be in [1, 2), got ${tweediePower}`,
          {
            tweediePower,
          },
        );
      }
      return tweedie(tweediePower);
    default:
      throw new CiaError<LearnersErrorCode>("invalid_option", `unknown loss ${String(name)}`, { loss: name });
  }
}
