import { CiaError, type DenseMatrix, denseMatrix } from "@cia/core";
import type { FittedModel, ModelJson } from "@cia/learners";
import { invalidModelJson, modelJsonAt } from "@cia/learners";
import { validateEffectHeadJson } from "./validate-effect-head-json.js";
import type { ModelLoader } from "./learner-factory.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";
import { checkFeatureCount } from "./check-feature-count.js";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * How the X-learner combines its two effect models per offer: `stacked` weights[a] is the constant
 * weight of the control-side model for offer a, or null where that offer keeps the propensity
 * combination ("dr-select").
 */
export type XCombine = { kind: "propensity" } | { kind: "stacked"; weights: (number | null)[] };

/** JSON of a fitted effect head (one outcome, every offer against no-offer). */
export interface EffectHeadJson {
  meta: MetaLearnerKind;
  nActions: number;
  nFeatures: number;
  /** Base models by role, indexed by action (null where a role has no model for that action). */
  models: Record<string, (ModelJson | null)[]>;
  combine?: XCombine | undefined;
}

/**
 * A fitted single-outcome multi-action effect model: tau(x, a) = E[Y(a) - Y(0) | x] for every
 * action, n x K row-major with column 0 equal to 0. Immutable; serializes to JSON.
 *
 * Roles of the base models: S `pair[a]` (a model of y on [1{A = a}, x] over rows with A in {0, a});
 * T `outcome[a]`; X `effectTreated[a]` (fitted on rows with A = a, target y - mu_0(x)) and
 * `effectControl[a]` (rows with A = 0, target mu_a(x) - y); DR `effect/f[a]` for each cross-fitting
 * fold f (averaged).
 *
 * @example
 * const tau = head.predictEffect(x, pairwiseWeights); // n x K
 */
export class EffectHead {
  constructor(
    readonly meta: MetaLearnerKind,
    readonly nActions: number,
    readonly nFeatures: number,
    private readonly models: Readonly<Record<string, readonly (FittedModel | null)[]>>,
    readonly combine: XCombine | undefined = undefined,
  ) {}

  /** True when prediction needs pairwise propensities (the X-learner's propensity combination). */
  get needsPropensity(): boolean {
    if (this.meta !== "x") return false;
    if (this.combine?.kind !== "stacked") return true;
    return this.combine.weights.slice(1, this.nActions).some((w) => w === null);
  }

  /**
   * Effects for every row of `x` and every action, n x K. `pairwiseWeights` (n x K, g_a =
   * pi_a / (pi_a + pi_0)) is required by the X-learner with propensity combination.
   */
  predictEffect(x: DenseMatrix, pairwiseWeights?: Float64Array | null): Float64Array {
    checkFeatureCount(x, this.nFeatures);
    const n = x.rows;
    const k = this.nActions;
    const out = new Float64Array(n * k);
    if (this.meta === "t") {
      const mu0 = this.model("outcome", 0).predict(x);
      for (let a = 1; a < k; a++) {
        const mua = this.model("outcome", a).predict(x);
        for (let i = 0; i < n; i++) out[i * k + a] = mua[i]! - mu0[i]!;
      }
    } else if (this.meta === "s") {
      const p = x.cols;
      const aug = denseMatrix(n, p + 1);
      for (let i = 0; i < n; i++) aug.data.set(x.data.subarray(i * p, (i + 1) * p), i * (p + 1) + 1);
      for (let a = 1; a < k; a++) {
        const m = this.model("pair", a);
        for (let i = 0; i < n; i++) aug.data[i * (p + 1)] = 1;
        const y1 = m.predict(aug);
        for (let i = 0; i < n; i++) aug.data[i * (p + 1)] = 0;
        const y0 = m.predict(aug);
        for (let i = 0; i < n; i++) out[i * k + a] = y1[i]! - y0[i]!;
      }
    } else if (this.meta === "dr") {
      const roles = Object.keys(this.models).filter((r) => r.startsWith("effect/"));
      // Sum, then divide (numpy's mean of the fold models' predictions, as CausalML averages them).
      const sum = new Float64Array(n);
      for (let a = 1; a < k; a++) {
        sum.fill(0);
        for (const role of roles) {
          const t = this.model(role, a).predict(x);
          for (let i = 0; i < n; i++) sum[i]! += t[i]!;
        }
        for (let i = 0; i < n; i++) out[i * k + a] = sum[i]! / roles.length;
      }
    } else {
      if (this.needsPropensity && (!pairwiseWeights || pairwiseWeights.length !== n * k)) {
        throw new CiaError<UpliftErrorCode>(
          "missing_propensity",
          "the X-learner needs pairwise propensities (n x K) to combine its effect models",
          {},
        );
      }
      for (let a = 1; a < k; a++) {
        const t1 = this.model("effectTreated", a).predict(x);
        const t0 = this.model("effectControl", a).predict(x);
        const c = this.combine?.kind === "stacked" ? (this.combine.weights[a] ?? null) : null;
        if (c !== null) {
          for (let i = 0; i < n; i++) out[i * k + a] = c * t0[i]! + (1 - c) * t1[i]!;
        } else {
          // Kuenzel et al. (2019), as CausalML: tau = g * tau_0 + (1 - g) * tau_1 with g the
          // (pairwise) treatment propensity, so the effect model trained on the larger arm's
          // imputations gets the larger weight.
          for (let i = 0; i < n; i++) {
            const g = pairwiseWeights![i * k + a]!;
            out[i * k + a] = g * t0[i]! + (1 - g) * t1[i]!;
          }
        }
      }
    }
    return out;
  }

  private model(role: string, a: number): FittedModel {
    const m = this.models[role]?.[a];
    if (!m)
      throw new CiaError<UpliftErrorCode>(
        "invalid_model",
        `effect head (${this.meta}) has no ${role} model for action ${a}`,
        {
          role,
          action: a,
        },
      );
    return m;
  }

  toJSON(): EffectHeadJson {
    const models: Record<string, (ModelJson | null)[]> = {};
    for (const [role, list] of Object.entries(this.models))
      models[role] = list.map((m) => (m ? m.toJSON() : null));
    const json: EffectHeadJson = {
      meta: this.meta,
      nActions: this.nActions,
      nFeatures: this.nFeatures,
      models,
    };
    if (this.combine) json.combine = this.combine;
    return json;
  }

  /**
   * Rebuild a head from its JSON with a base-model loader. The JSON is validated first
   * (`validateEffectHeadJson`: roles of its meta-learner, one model per offer) and every base
   * model must read the head's feature count (S: one more, the action column); a problem throws
   * `invalid_model` with its JSON path.
   *
   * @example
   * const head = EffectHead.fromJSON(json, loadModel);
   */
  static fromJSON(json: EffectHeadJson, loadModel: ModelLoader): EffectHead {
    const checked = validateEffectHeadJson(json);
    if (!checked.success) throw invalidModelJson(checked.problem.path, checked.problem.reason);
    const h = checked.data;
    const width = h.meta === "s" ? h.nFeatures + 1 : h.nFeatures;
    const models: Record<string, (FittedModel | null)[]> = {};
    for (const [role, list] of Object.entries(h.models)) {
      models[role] = list.map((m, a) => {
        if (!m) return null;
        const path = ["models", role, a];
        const model = modelJsonAt(path, () => loadModel(m));
        if (model.nFeatures !== width)
          throw invalidModelJson(path, `reads ${model.nFeatures} features, the head has ${width}`);
        return model;
      });
    }
    return new EffectHead(h.meta, h.nActions, h.nFeatures, models, h.combine);
  }
}
