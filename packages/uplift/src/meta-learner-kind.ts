/**
 * The meta-learners (Kuenzel et al. 2019 vocabulary): "s" one model with the action as a feature,
 * "t" one outcome model per arm, "x" imputed effects regressed per arm and combined with
 * propensity weights, "dr" doubly robust pseudo-outcomes regressed on features.
 *
 * @example
 * const kind: MetaLearnerKind = "x";
 */
export type MetaLearnerKind = "s" | "t" | "x" | "dr";

export const META_LEARNER_KINDS: readonly MetaLearnerKind[] = ["s", "t", "x", "dr"];
