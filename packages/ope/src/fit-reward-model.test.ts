import { createRng, denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { fitRewardModel } from "./fit-reward-model.js";

function fixture(n = 600, k = 3) {
  const rng = createRng(11);
  const features = denseMatrix(
    n,
    2,
    Float64Array.from({ length: n * 2 }, () => rng.normal()),
  );
  const action = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * k));
  const propensity = new Float64Array(n).fill(1 / k);
  const value = Float64Array.from(
    { length: n },
    (_, i) => 1 + features.get(i, 0) + action[i]! + 0.1 * rng.normal(),
  );
  const tau = Float64Array.from({ length: n * k }, (_, j) => j % k);
  return { features, action, propensity, value, tau, n, k };
}

describe("fitRewardModel", () => {
  it("is the per-action mean outcome without effect predictions", () => {
    const q = fitRewardModel({
      action: Int32Array.of(0, 1, 0, 1),
      k: 3,
      outcomes: { value: Float64Array.of(1, 4, 3, 6), cost: Float64Array.of(0, 2, 0, 4) },
    });
    expect(Array.from(q.value)).toEqual([2, 5, 0, 2, 5, 0, 2, 5, 0, 2, 5, 0]);
    expect(Array.from(q.cost!.subarray(0, 3))).toEqual([0, 3, 0]);
  });
  it("adds the effects to a cross-fitted no-offer level m_0(x)", () => {
    const { features, action, propensity, value, tau, n, k } = fixture();
    const inputs = { features, action, k, outcomes: { value }, tau: { value: tau }, propensity };
    const q = fitRewardModel(inputs, { base: "ridge" });
    expect(q.cost).toBeUndefined();
    for (let i = 0; i < n; i++)
      for (let a = 1; a < k; a++) expect(q.value[i * k + a]! - q.value[i * k]!).toBeCloseTo(a, 12);
    // m_0 tracks the no-offer outcome 1 + x0.
    let err = 0;
    for (let i = 0; i < n; i++) err += Math.abs(q.value[i * k]! - 1 - features.get(i, 0));
    expect(err / n).toBeLessThan(0.05);
    // Cross-fitted: a row's own outcome never reaches its prediction (row r is in fold 0, row 1
    // in fold 1, whose m_0 was fitted on r).
    const r = action.findIndex((a, i) => a === 0 && i % 3 === 0);
    const moved = Float64Array.from(value);
    moved[r] = 1e6;
    const q2 = fitRewardModel({ ...inputs, outcomes: { value: moved } }, { base: "ridge" });
    expect(q2.value[r * k]).toBe(q.value[r * k]);
    expect(q2.value[k]).not.toBe(q.value[k]);
  });
  it("boosts m_0 by default, seeded with 7, and needs the features with effects", () => {
    const { features, action, propensity, value, tau, k } = fixture(900);
    const inputs = { features, action, k, outcomes: { value }, tau: { value: tau }, propensity };
    expect(Array.from(fitRewardModel(inputs).value)).toEqual(
      Array.from(fitRewardModel(inputs, { base: "gbdt", seed: 7, folds: 3 }).value),
    );
    expect(() => fitRewardModel({ ...inputs, features: undefined })).toThrow(RangeError);
  });
});
