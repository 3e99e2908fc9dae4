import { argsort, spearman } from "@cia/core";

/** Agreement of two rankings of the same items. */
export interface RankAgreement {
  spearman: number;
  /** |top-k of a intersect top-k of b| / k with k = ceil(topFraction * n). */
  topKOverlap: number;
  k: number;
}

/**
 * Rank agreement of two score vectors over the same items: Spearman correlation and the overlap
 * of their top-k sets (highest scores first).
 *
 * @example
 * rankAgreement(scoresA, scoresB, { topFraction: 0.2 }); // { spearman, topKOverlap, k }
 */
export function rankAgreement(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { topFraction?: number } = {},
): RankAgreement {
  const n = a.length;
  if (b.length !== n) throw new RangeError("rankAgreement: lengths differ");
  const k = Math.max(1, Math.ceil((options.topFraction ?? 0.1) * n));
  const ta = argsort(finite(a), { descending: true }).subarray(0, k);
  const tb = argsort(finite(b), { descending: true }).subarray(0, k);
  const inA = new Uint8Array(n);
  for (const i of ta) inA[i] = 1;
  let both = 0;
  for (const i of tb) both += inA[i]!;
  return { spearman: spearman(finite(a), finite(b)), topKOverlap: both / k, k };
}

function finite(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x as ArrayLike<number>, (v) =>
    v === Number.POSITIVE_INFINITY
      ? Number.MAX_VALUE
      : v === Number.NEGATIVE_INFINITY
        ? -Number.MAX_VALUE
        : v,
  );
}

/** Mean (and minimum) pairwise rank agreement within a set of score vectors. */
export interface StabilitySummary {
  pairs: number;
  meanSpearman: number;
  minSpearman: number;
  meanTopKOverlap: number;
  minTopKOverlap: number;
}

/**
 * Stability across bootstrap members (or across models fitted on different splits): the mean
 * and minimum pairwise Spearman correlation and top-k overlap of their scores over the same items.
 * At most `maxPairs` pairs are compared (consecutive pairs first, then the rest), to bound cost.
 *
 * @example
 * const s = rankStability(pred.members!.tauValue.map((m) => column(m, k, 1)));
 */
export function rankStability(
  scores: readonly ArrayLike<number>[],
  options: { topFraction?: number; maxPairs?: number } = {},
): StabilitySummary {
  const maxPairs = options.maxPairs ?? 45;
  const list: [number, number][] = [];
  for (let gap = 1; gap < scores.length && list.length < maxPairs; gap++) {
    for (let i = 0; i + gap < scores.length && list.length < maxPairs; i++) list.push([i, i + gap]);
  }
  let ms = 0;
  let mo = 0;
  let mins = Number.POSITIVE_INFINITY;
  let mino = Number.POSITIVE_INFINITY;
  for (const [i, j] of list) {
    const r = rankAgreement(scores[i]!, scores[j]!, options);
    ms += r.spearman;
    mo += r.topKOverlap;
    mins = Math.min(mins, r.spearman);
    mino = Math.min(mino, r.topKOverlap);
  }
  const p = list.length;
  return {
    pairs: p,
    meanSpearman: p ? ms / p : Number.NaN,
    minSpearman: p ? mins : Number.NaN,
    meanTopKOverlap: p ? mo / p : Number.NaN,
    minTopKOverlap: p ? mino : Number.NaN,
  };
}
