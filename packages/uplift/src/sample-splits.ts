/**
 * Sample splits used inside the meta-learners: folds stratified by arm, and the DR rotation's folds,
 * both able to keep the copies of a unit together when a bootstrap resample repeats it.
 */
import { CiaError, createRng, type Seed } from "@cia/core";
import { numpyKFoldTestFolds } from "@cia/core/parity";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * Fold of every row: each action's rows shuffled and dealt round-robin, so every fold has every arm.
 * With `groups`, each action's distinct groups are dealt instead and a row takes its group's fold.
 */
export function stratifiedFolds(
  rows: Int32Array[],
  n: number,
  folds: number,
  seed: Seed,
  groups?: Int32Array,
): Int32Array {
  const rng = createRng(seed).split("cross-fit");
  const out = new Int32Array(n);
  for (const r of rows) {
    if (!groups) {
      const perm = rng.sample(r.length, r.length);
      for (let j = 0; j < r.length; j++) out[r[perm[j]!]!] = j % folds;
      continue;
    }
    // Distinct groups in first-appearance order, dealt in a shuffled order.
    const foldOfGroup = new Map<number, number>();
    for (const i of r) if (!foldOfGroup.has(groups[i]!)) foldOfGroup.set(groups[i]!, 0);
    const distinct = [...foldOfGroup.keys()];
    const perm = rng.sample(distinct.length, distinct.length);
    for (let j = 0; j < distinct.length; j++) foldOfGroup.set(distinct[perm[j]!]!, j % folds);
    for (const i of r) out[i] = foldOfGroup.get(groups[i]!)!;
  }
  return out;
}

/** Options of {@link groupedKFold}. */
export interface GroupedKFoldOptions {
  /**
   * `random_state` of the sklearn `KFold(shuffle=True)` that deals the distinct groups. Default 0,
   * the seed CausalML's DR-learner uses, so the rotation matches CausalML's folds exactly.
   */
  randomState?: number | undefined;
}

/**
 * The rotation's folds over rows with repeated groups: sklearn's KFold over the distinct groups
 * (sorted), each row in its group's fold.
 *
 * @example
 * groupedKFold(Int32Array.of(0, 0, 1, 2, 3, 4), 3); // both copies of unit 0 share a fold
 */
export function groupedKFold(
  groups: Int32Array,
  folds: number,
  options: GroupedKFoldOptions = {},
): Int32Array[] {
  const distinct = [...new Set(groups)].sort((a, b) => a - b);
  if (distinct.length < folds)
    throw new CiaError<UpliftErrorCode>(
      "insufficient_support",
      `the DR-learner needs at least ${folds} distinct units`,
      {
        units: distinct.length,
      },
    );
  const foldOfGroup = new Map<number, number>();
  numpyKFoldTestFolds(distinct.length, folds, options.randomState ?? 0).forEach((fold, f) => {
    for (const j of fold) foldOfGroup.set(distinct[j]!, f);
  });
  const members: number[][] = Array.from({ length: folds }, () => []);
  for (let i = 0; i < groups.length; i++) members[foldOfGroup.get(groups[i]!)!]!.push(i);
  return members.map((m) => Int32Array.from(m));
}
