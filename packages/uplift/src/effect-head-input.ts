/**
 * What every meta-learner (S, T, X, DR) takes: the training rows of one head fit and its settings.
 * Kept apart from `fitEffectHead` so the per-learner files and the dispatcher all import it without
 * importing each other.
 */
import type { DenseMatrix, Seed } from "@cia/core";
import type { HeadOptions } from "./learner-factory.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";

/**
 * Training rows of one head fit.
 *
 * @example
 * const input: EffectHeadInput = { x, action, y, nActions: 3, rows: rowsByAction(action, 3), pairwise: null };
 */
export interface EffectHeadInput {
  x: DenseMatrix;
  action: Int32Array;
  y: Float64Array;
  nActions: number;
  /** Row indices of each action. */
  rows: Int32Array[];
  /** Training-row pairwise propensities n x K (clipped); needed by DR and the stacked X combination. */
  pairwise: Float64Array | null;
  /** Shared fit options for `x` (and for S's augmented [w, x] matrix). */
  shared?: Record<string, unknown> | undefined;
  sharedAugmented?: Record<string, unknown> | undefined;
  /**
   * The original unit of each row when rows repeat (a bootstrap resample: its drawn indices). Every
   * sample split (DR folds, the stacked X weight's folds) then keeps a unit's copies together;
   * otherwise a copy in the training folds would make the "out-of-sample" rows in-sample.
   */
  groups?: Int32Array | undefined;
}

/**
 * How the X- and DR-learners combine and split (shared by `fitUplift`'s options and each head's).
 *
 * @example
 * const settings: MetaLearnerSettings = { combine: "dr-select", drScheme: "rotate", drRotationSeed: 0 };
 */
export interface MetaLearnerSettings {
  /**
   * X-learner combination: `"propensity"` (Kuenzel et al.; CausalML) weights the control-arm
   * effect model by g = pi_a / (pi_a + pi_0); `"dr-stack"` picks one constant weight per offer
   * minimizing the cross-fitted doubly robust loss; `"dr-select"` computes that weight too but keeps
   * it for an offer only when it lowers the same cross-fitted DR loss below the propensity
   * combination's by more than one standard error of the per-row loss difference (else that offer
   * keeps the propensity combination). Both refit mu_0, mu_a, tau_1 and tau_0 on the other folds
   * once per fold (with one offer, 4 x `crossFitFolds` extra fits on (folds - 1) / folds of the rows,
   * on top of the 4 full-data fits); the fitted head keeps only the full-data models.
   */
  combine?: "propensity" | "dr-stack" | "dr-select" | undefined;
  /**
   * Folds of the DR-learner's cross-fitting with `drScheme: "cross-fit"` (default 3; the default
   * "rotate" always uses CausalML's three) and of the X "dr-stack" / "dr-select"
   * weights (default 2: 8 extra fits on half the rows instead of 12 on two thirds; the IHDP and
   * CausalML synthetic bench targets hold with either).
   */
  crossFitFolds?: number | undefined;
  /**
   * Where "dr-stack" / "dr-select" get their out-of-sample predictions. `"cross-fit"` (default):
   * the extra models are refitted on the other folds for each of `crossFitFolds` folds (default 2),
   * so the weight and the one-SE test use every row (4 x folds extra fits per offer). `"holdout"`:
   * fitted once on a stratified two thirds of the rows and evaluated on the other third (4 extra
   * fits on 2/3 of the rows): about 2/3 of the cross-fit's extra cost, a third of the rows to
   * judge by (on Hillstrom Womens its choice falls below CausalML's Qini; the cross-fit's does not).
   */
  stackSplit?: "holdout" | "cross-fit" | undefined;
  /**
   * The DR-learner's sample splitting. `"rotate"` (default; CausalML 0.17's `BaseDRRegressor`): the
   * rows (all arms) are cut into three folds by sklearn's `KFold(3, shuffle=True, random_state=0)`;
   * for fold f the outcome models are fitted on fold f + 1 and the effect model f on fold f + 2's
   * pseudo-outcomes (fold f itself would fit propensities, which are given here), so every fit sees
   * a third of the rows; the three effect models are averaged. `"cross-fit"`: K-fold cross-fitting
   * (`crossFitFolds`, default 3) stratified by arm: outcome models fitted on K - 1 folds, one effect
   * model per fold on its out-of-fold pseudo-outcomes (fits on 2/3 of the rows; about 2x the cost).
   */
  drScheme?: "rotate" | "cross-fit" | undefined;
  /**
   * The `"rotate"` scheme's fold shuffle: `random_state` of sklearn's `KFold(3, shuffle=True)`,
   * a numpy legacy `RandomState` seed (an integer in [0, 2^32 - 1]). Default 0, the value CausalML
   * 0.17 fixes, with which the DR-learner reproduces CausalML's predictions bit for bit; any other
   * seed gives another, equally valid rotation. Bootstrap members shuffle their distinct units with
   * it too. Unused by `drScheme: "cross-fit"` (whose folds follow `seed`).
   */
  drRotationSeed?: number | undefined;
}

/**
 * Meta-learner settings of one head.
 *
 * @example
 * const options: EffectHeadOptions = { meta: "dr", learner: () => new Ridge(), drScheme: "rotate", drRotationSeed: 0 };
 */
export interface EffectHeadOptions extends HeadOptions, MetaLearnerSettings {
  meta: MetaLearnerKind;
  seed?: Seed | undefined;
}
