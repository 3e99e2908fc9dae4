import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { upliftRankingPolicy } from "./uplift-ranking-policy.js";

describe("upliftRankingPolicy", () => {
  it("ranks by the best value lift, skips what does not fit and fills with what does", () => {
    const effects = { nActions: 2, tauValue: [0, 5, 0, 3, 0, 4], tauCost: [0, 2, 0, 1, 0, 2] };
    expect(Array.from(upliftRankingPolicy(effects, { budgetTotal: 3 }))).toEqual([1, 1, 0]);
    expect(Array.from(upliftRankingPolicy(effects, { budgetTotal: 4 }))).toEqual([1, 0, 1]);
    expect(Array.from(upliftRankingPolicy(effects, { budgetTotal: Number.POSITIVE_INFINITY }))).toEqual([
      1, 1, 1,
    ]);
  });
  it("picks each unit's largest lift whatever its cost, treats no unit without a positive lift", () => {
    // K = 3: unit 0 prefers action 2 (lift 4, cost 9) over action 1 (lift 3, cost 0); unit 1 has
    // no positive lift; unit 2 ties 2 = 2 and keeps the lower action; negative costs count as 0.
    const effects = {
      nActions: 3,
      tauValue: [0, 3, 4, 0, -1, 0, 0, 2, 2],
      tauCost: [0, 0, 9, 0, 0, 0, 0, -5, 1],
    };
    expect(Array.from(upliftRankingPolicy(effects, { budgetTotal: 8 }))).toEqual([0, 0, 1]);
    expect(Array.from(upliftRankingPolicy(effects, { budgetTotal: 9 }))).toEqual([2, 0, 1]);
    // Equal lifts rank by unit index.
    const tie = { nActions: 2, tauValue: [0, 1, 0, 1], tauCost: [0, 1, 0, 1] };
    expect(Array.from(upliftRankingPolicy(tie, { budgetTotal: 1 }))).toEqual([1, 0]);
  });
  it("rejects a bad K, a NaN budget and matrices that are not n x K", () => {
    const e = { nActions: 2, tauValue: [0, 1], tauCost: [0, 1] };
    expect(() => upliftRankingPolicy({ ...e, nActions: 0 }, { budgetTotal: 1 })).toThrow(CiaError);
    expect(() => upliftRankingPolicy(e, { budgetTotal: Number.NaN })).toThrow(/NaN/);
    expect(() => upliftRankingPolicy({ ...e, tauCost: [0] }, { budgetTotal: 1 })).toThrow(/n x K/);
  });
});
