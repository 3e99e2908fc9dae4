import { CiaError, bootstrapInterval, createRng, normalCdf, normalQuantile, type Seed } from "@cia/core";
import { checkLogged } from "./check-inputs.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** An effect estimate against no-offer with a normal interval. */
export interface EffectEstimate {
  readonly estimate: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  /** Two-sided p-value of "no effect". */
  readonly pValue: number;
}

/** Incremental cost per incremental value, tau_c / tau_v (CPI; lower is better). */
export interface RatioEstimate {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** Delta-method standard error (also reported with the bootstrap method). */
  readonly se: number;
  readonly method: "delta" | "bootstrap" | "fieller";
  /**
   * False when the value effect is not significantly different from 0 at `level`: the ratio's
   * sampling distribution is then unbounded and neither interval should be trusted.
   */
  readonly reliable: boolean;
}

/** Readout of one action against no-offer. */
export interface ActionEffect {
  readonly action: number;
  readonly name: string;
  /** Logged rows in this arm and in control. */
  readonly n: number;
  readonly nControl: number;
  /** Hajek arm means (the potential-outcome means E[Y(a)], E[Y(0)]). */
  readonly meanValue: number;
  readonly meanValueControl: number;
  readonly meanCost: number | undefined;
  readonly meanCostControl: number | undefined;
  readonly value: EffectEstimate;
  readonly cost: EffectEstimate | undefined;
  readonly costPerValue: RatioEstimate | undefined;
}

export interface AverageEffectsOptions {
  /** Logged action per row (index into actions; -1 = not assigned, skipped). */
  readonly action: ArrayLike<number>;
  /** Logged propensity of that action. */
  readonly propensity: ArrayLike<number>;
  readonly value: ArrayLike<number>;
  readonly cost?: ArrayLike<number> | undefined;
  /** Action names; index 0 (or `control`) is the no-offer arm. */
  readonly actions: readonly string[];
  readonly control?: number | undefined;
  readonly level?: number | undefined;
  /** How to build the cost-per-value interval; bootstrap needs a seed. Default delta. */
  readonly ratio?:
    | { method: "delta" }
    | { method: "fieller" }
    | { method: "bootstrap"; resamples?: number; seed: Seed }
    | undefined;
  /**
   * Only read the rows where mask is truthy (e.g. one lifecycle regime or one pre-registered
   * segment). The logged propensities stay valid inside any segment defined by pre-treatment
   * features, so the segment's readout is unbiased for that segment.
   */
  readonly mask?: ArrayLike<number> | undefined;
}

function effect(estimate: number, variance: number, z: number): EffectEstimate {
  const se = Math.sqrt(variance);
  const t = se > 0 ? Math.abs(estimate) / se : estimate === 0 ? 0 : Number.POSITIVE_INFINITY;
  return { estimate, se, lower: estimate - z * se, upper: estimate + z * se, pValue: 2 * normalCdf(-t) };
}

// Hajek difference of arms a and c over the rows in idx (the bootstrap statistic).
function hajekDiff(
  idx: Int32Array,
  action: ArrayLike<number>,
  propensity: ArrayLike<number>,
  y: ArrayLike<number>,
  a: number,
  c: number,
): number {
  let swa = 0;
  let sya = 0;
  let swc = 0;
  let syc = 0;
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    const w = 1 / propensity[i]!;
    if (action[i] === a) {
      swa += w;
      sya += w * y[i]!;
    } else if (action[i] === c) {
      swc += w;
      syc += w * y[i]!;
    }
  }
  return sya / swa - syc / swc;
}

/**
 * Per-action average effects against no-offer, for value and for cost, by the Hajek difference
 * tau_a = Ybar_a - Ybar_0 (Ybar_a = sum_{W=a} Y / pi / sum_{W=a} 1 / pi), with linearization
 * standard errors: the influence function of Ybar_a is 1{W=a} w (Y - Ybar_a) / mean(1{W=a} w), so
 * Var(Ybar_a) ~ sum_{W=a} w^2 (Y - Ybar_a)^2 / (sum_{W=a} w)^2, arms being disjoint the
 * variances add, and the value-cost covariance follows the same way. Intervals are normal.
 *
 * Incremental cost per incremental value (CPI = tau_c / tau_v) gets a delta-method interval,
 * Var(R) ~ (Var(tau_c) - 2 R Cov(tau_c, tau_v) + R^2 Var(tau_v)) / tau_v^2, a Fieller interval
 * (the set of R with (tau_c - R tau_v)^2 <= z^2 Var(tau_c - R tau_v), which stays valid when the
 * value effect is weak: it is then unbounded, reported as (-Infinity, Infinity)), or a seeded
 * percentile bootstrap over the rows of the two arms.
 *
 * @example
 * const effects = averageEffects({ action, propensity, value, cost, actions: ["control", "credit_5"] });
 * effects[0].value; // { estimate, se, lower, upper, pValue }
 * effects[0].costPerValue; // { estimate, lower, upper, method: "delta", reliable }
 */
export function averageEffects(options: AverageEffectsOptions): ActionEffect[] {
  const { action, propensity, value, cost, actions, mask } = options;
  const k = actions.length;
  const control = options.control ?? 0;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1))
    throw new CiaError<ExperimentErrorCode>("invalid_option", `level must be in (0, 1), got ${level}`);
  if (!(Number.isInteger(control) && control >= 0 && control < k)) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_option",
      `control index ${control} is not in 0..${k - 1}`,
    );
  }
  const n = checkLogged(action, propensity, k, { value, cost, mask });
  const z = normalQuantile(0.5 + level / 2);

  // Pass 1: per-arm weight sums and weighted outcome sums.
  const count = new Int32Array(k);
  const sw = new Float64Array(k);
  const sv = new Float64Array(k);
  const sc = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const a = action[i]!;
    if (a < 0 || (mask && !mask[i])) continue;
    const w = 1 / propensity[i]!;
    count[a]!++;
    sw[a]! += w;
    sv[a]! += w * value[i]!;
    if (cost) sc[a]! += w * cost[i]!;
  }
  const mv = new Float64Array(k);
  const mc = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    mv[a] = sw[a]! > 0 ? sv[a]! / sw[a]! : Number.NaN;
    mc[a] = sw[a]! > 0 ? sc[a]! / sw[a]! : Number.NaN;
  }
  // Pass 2: influence-function variances and the value-cost covariance per arm.
  const vv = new Float64Array(k);
  const vc = new Float64Array(k);
  const cvc = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const a = action[i]!;
    if (a < 0 || (mask && !mask[i])) continue;
    const w = 1 / propensity[i]!;
    const rv = w * (value[i]! - mv[a]!);
    vv[a]! += rv * rv;
    if (cost) {
      const rc = w * (cost[i]! - mc[a]!);
      vc[a]! += rc * rc;
      cvc[a]! += rv * rc;
    }
  }
  if (count[control] === 0) {
    throw new CiaError<ExperimentErrorCode>(
      "insufficient_support",
      `the control arm "${actions[control]}" has no rows`,
      { control },
    );
  }
  const ratio = options.ratio ?? { method: "delta" as const };
  const out: ActionEffect[] = [];
  for (let a = 0; a < k; a++) {
    if (a === control) continue;
    const name = actions[a]!;
    if (count[a] === 0) {
      throw new CiaError<ExperimentErrorCode>(
        "insufficient_support",
        `action "${name}" has no rows: its effect is not identified`,
        {
          action: name,
        },
      );
    }
    const swa2 = sw[a]! * sw[a]!;
    const swc2 = sw[control]! * sw[control]!;
    const varV = vv[a]! / swa2 + vv[control]! / swc2;
    const tv = mv[a]! - mv[control]!;
    const valueEffect = effect(tv, varV, z);
    let costEffect: EffectEstimate | undefined;
    let costPerValue: RatioEstimate | undefined;
    if (cost) {
      const varC = vc[a]! / swa2 + vc[control]! / swc2;
      const cov = cvc[a]! / swa2 + cvc[control]! / swc2;
      const tc = mc[a]! - mc[control]!;
      costEffect = effect(tc, varC, z);
      const r = tc / tv;
      const seR = Math.sqrt(Math.max(0, varC - 2 * r * cov + r * r * varV)) / Math.abs(tv);
      const reliable = Math.abs(tv) > z * valueEffect.se;
      if (ratio.method === "bootstrap") {
        const rows: number[] = [];
        for (let i = 0; i < n; i++) {
          if ((action[i] === a || action[i] === control) && (!mask || mask[i])) rows.push(i);
        }
        const rowIdx = Int32Array.from(rows);
        const mapped = new Int32Array(rowIdx.length);
        const b = bootstrapInterval(
          rowIdx.length,
          (idx) => {
            for (let j = 0; j < idx.length; j++) mapped[j] = rowIdx[idx[j]!]!;
            const dv = hajekDiff(mapped, action, propensity, value, a, control);
            const dc = hajekDiff(mapped, action, propensity, cost, a, control);
            return dc / dv;
          },
          { resamples: ratio.resamples ?? 1000, level, rng: createRng(ratio.seed).split(`cpi/${name}`) },
        );
        costPerValue = {
          estimate: r,
          lower: b.lower,
          upper: b.upper,
          se: seR,
          method: "bootstrap",
          reliable,
        };
      } else if (ratio.method === "fieller") {
        // a R^2 - 2 b R + c <= 0; the point estimate always satisfies it, so with a > 0 the roots
        // are real and bound the interval; with a <= 0 the set is unbounded.
        const z2 = z * z;
        const qa = tv * tv - z2 * varV;
        const qb = tc * tv - z2 * cov;
        const qc = tc * tc - z2 * varC;
        let lower = Number.NEGATIVE_INFINITY;
        let upper = Number.POSITIVE_INFINITY;
        if (qa > 0) {
          const root = Math.sqrt(Math.max(0, qb * qb - qa * qc));
          lower = (qb - root) / qa;
          upper = (qb + root) / qa;
        }
        costPerValue = { estimate: r, lower, upper, se: seR, method: "fieller", reliable };
      } else {
        costPerValue = {
          estimate: r,
          lower: r - z * seR,
          upper: r + z * seR,
          se: seR,
          method: "delta",
          reliable,
        };
      }
    }
    out.push({
      action: a,
      name,
      n: count[a]!,
      nControl: count[control]!,
      meanValue: mv[a]!,
      meanValueControl: mv[control]!,
      meanCost: cost ? mc[a]! : undefined,
      meanCostControl: cost ? mc[control]! : undefined,
      value: valueEffect,
      cost: costEffect,
      costPerValue,
    });
  }
  return out;
}
