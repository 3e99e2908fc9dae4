import { describe, expect, it } from "vitest";
import { numpyKFoldTestFolds } from "@cia/core/parity";
import { groupedKFold, stratifiedFolds } from "./sample-splits.js";

/** Rows of each action for an action vector. */
function byAction(action: number[], k: number): Int32Array[] {
  return Array.from({ length: k }, (_, a) => Int32Array.from(action.flatMap((v, i) => (v === a ? [i] : []))));
}

describe("sample splits", () => {
  it("stratified folds deal every arm evenly over the folds", () => {
    const action = Array.from({ length: 103 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const folds = stratifiedFolds(byAction(action, 2), action.length, 3, 7);
    for (const a of [0, 1]) {
      const counts = [0, 0, 0];
      action.forEach((v, i) => {
        if (v === a) counts[folds[i]!]!++;
      });
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it("with groups (a bootstrap resample), every copy of a unit lands in its unit's fold", () => {
    // A resample of 60 units drawn with replacement; unit u is in arm u % 3.
    const groups = Int32Array.from({ length: 60 }, (_, i) => (i * 37 + (i % 7) * 11) % 41);
    const action = Array.from(groups, (g) => g % 3);
    const folds = stratifiedFolds(byAction(action, 3), groups.length, 2, 1, groups);
    const foldOf = new Map<number, number>();
    groups.forEach((g, i) => {
      if (!foldOf.has(g)) foldOf.set(g, folds[i]!);
      expect(folds[i]).toBe(foldOf.get(g));
    });
    // distinct units of each arm split evenly over the two folds
    for (const a of [0, 1, 2]) {
      const units = [...foldOf.keys()].filter((g) => g % 3 === a);
      const inFirst = units.filter((g) => foldOf.get(g) === 0).length;
      expect(Math.abs(2 * inFirst - units.length)).toBeLessThanOrEqual(1);
    }
    // same seed, same folds
    expect(stratifiedFolds(byAction(action, 3), groups.length, 2, 1, groups)).toEqual(folds);
  });

  it("the grouped rotation is sklearn's KFold over the distinct units, and the plain one when nothing repeats", () => {
    const groups = Int32Array.from([5, 2, 5, 9, 2, 7, 7, 0, 3, 9]);
    const split = groupedKFold(groups, 3);
    const distinct = [0, 2, 3, 5, 7, 9];
    const expected = numpyKFoldTestFolds(distinct.length, 3, 0).map(
      (f) => new Set(Array.from(f, (j) => distinct[j]!)),
    );
    split.forEach((rows, f) => {
      for (const i of rows) expect(expected[f]!.has(groups[i]!)).toBe(true);
    });
    expect(split.reduce((s, r) => s + r.length, 0)).toBe(groups.length);
    // without repeats (groups = row indices) it is exactly CausalML's split
    const identity = Int32Array.from({ length: 10 }, (_, i) => i);
    expect(groupedKFold(identity, 3)).toEqual(numpyKFoldTestFolds(10, 3, 0));
  });

  it("takes the KFold seed as an option (randomState, default 0 as CausalML)", () => {
    const identity = Int32Array.from({ length: 10 }, (_, i) => i);
    expect(groupedKFold(identity, 3, { randomState: 0 })).toEqual(groupedKFold(identity, 3));
    expect(groupedKFold(identity, 3, { randomState: 7 })).toEqual(numpyKFoldTestFolds(10, 3, 7));
  });
});
