import { createRng, denseMatrix } from "@cia/core";
import { loadModel } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { PooledEffectHead, fitPooledCostHead, fitPooledValueHead } from "./pooled-effect-head.js";

// Redemption world: cost = credit_a x Bernoulli(r(x)), r(x) = 0.2 + 0.6 x0; no cost under no offer.
function redemptionData(n: number, seed: number) {
  const rng = createRng(seed);
  const credit = [0, 3, 5, 10];
  const x = denseMatrix(n, 2);
  const action = new Int32Array(n);
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = rng.uniform();
    x.data[i * 2] = x0;
    x.data[i * 2 + 1] = rng.uniform();
    const a = Math.floor(rng.uniform() * 4);
    action[i] = a;
    cost[i] = a > 0 && rng.uniform() < 0.2 + 0.6 * x0 ? credit[a]! : 0;
  }
  return { x, action, cost, credit };
}

describe("fitPooledCostHead", () => {
  it("recovers credit x redemption probability, never negative, zero for no offer", () => {
    const { x, action, cost, credit } = redemptionData(20_000, 1);
    const head = fitPooledCostHead(
      { features: x, action, cost, nActions: 4 },
      { actionAttributes: credit.map((c) => [c]), seed: 1 },
    );
    const test = denseMatrix(3, 2);
    test.data.set([0.1, 0.5, 0.5, 0.5, 0.9, 0.5]);
    const tau = head.predictEffect(test);
    for (let i = 0; i < 3; i++) {
      expect(tau[i * 4]).toBe(0);
      const r = 0.2 + 0.6 * test.data[i * 2]!;
      for (let a = 1; a < 4; a++)
        expect(Math.abs(tau[i * 4 + a]! - credit[a]! * r)).toBeLessThan(0.12 * credit[a]!);
    }
    const all = head.predictEffect(x);
    expect(all.every((v) => v >= 0)).toBe(true);
  });

  it("round-trips through JSON to the same predictions", () => {
    const { x, action, cost } = redemptionData(3_000, 2);
    const head = fitPooledCostHead({ features: x, action, cost, nActions: 4 }, { seed: 2 });
    const back = PooledEffectHead.fromJSON(JSON.parse(JSON.stringify(head.toJSON())), loadModel);
    expect(Array.from(back.predictEffect(x))).toEqual(Array.from(head.predictEffect(x)));
  });

  it("subtracts a no-offer cost model when the data show cost under no offer, and allows negatives when logged", () => {
    const { x, action, cost } = redemptionData(4_000, 3);
    for (let i = 0; i < cost.length; i++) if (action[i] === 0) cost[i] = 2; // e.g. a standing credit
    const head = fitPooledCostHead({ features: x, action, cost, nActions: 4 }, { seed: 3 });
    expect(head.toJSON().control).not.toBeNull();
    cost[0] = -1;
    const signed = fitPooledCostHead({ features: x, action, cost, nActions: 4 }, { seed: 3 });
    expect(signed.allowNegative).toBe(true);
  });

  it("refuses attributes that do not cover every action", () => {
    const { x, action, cost } = redemptionData(500, 4);
    expect(() =>
      fitPooledCostHead({ features: x, action, cost, nActions: 4 }, { actionAttributes: [[0], [1]] }),
    ).toThrow(/actionAttributes/);
  });
});

describe("fitPooledValueHead", () => {
  it("recovers an effect that grows with the offer's face value, shared across offers", () => {
    const rng = createRng(5);
    const n = 20_000;
    const credit = [0, 3, 5, 10];
    const x = denseMatrix(n, 1);
    const action = new Int32Array(n);
    const value = new Float64Array(n);
    const propensity = new Float64Array(n).fill(0.25);
    for (let i = 0; i < n; i++) {
      const x0 = rng.uniform();
      x.data[i] = x0;
      const a = Math.floor(rng.uniform() * 4);
      action[i] = a;
      // tau(x, a) = 0.2 credit x0; noise sd 1.
      value[i] = 5 + 2 * x0 + 0.2 * credit[a]! * x0 + rng.normal();
    }
    const head = fitPooledValueHead(
      { features: x, action, value, nActions: 4, propensity },
      { actionAttributes: credit.map((c) => [c]), seed: 5 },
    );
    expect(head.mode).toBe("joint");
    const t = denseMatrix(1, 1);
    t.data[0] = 0.8;
    const tau = head.predictEffect(t);
    expect(tau[0]).toBe(0);
    expect(Math.abs(tau[3]! - 0.2 * 10 * 0.8)).toBeLessThan(0.4);
    expect(tau[3]!).toBeGreaterThan(tau[1]!);
    const back = PooledEffectHead.fromJSON(JSON.parse(JSON.stringify(head.toJSON())), loadModel);
    expect(Array.from(back.predictEffect(t))).toEqual(Array.from(tau));
  });

  it("caps the inverse-propensity weights at maxWeight: the same fit as propensities floored at 1 / maxWeight", () => {
    // A deployed policy's log: offer 3 where x0 > 0.5, no offer elsewhere, each other action at 1%.
    const credit = [0, 3, 5, 10];
    const tauTrue = (x0: number, a: number) => 0.2 * credit[a]! * x0;
    for (const seed of [11, 12]) {
      const rng = createRng(seed);
      const n = 20_000;
      const x = denseMatrix(n, 1);
      const action = new Int32Array(n);
      const value = new Float64Array(n);
      const propensity = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x0 = rng.uniform();
        x.data[i] = x0;
        const rec = x0 > 0.5 ? 3 : 0;
        const u = rng.uniform();
        const a = u < 0.97 ? rec : [0, 1, 2, 3].filter((b) => b !== rec)[Math.floor((u - 0.97) / 0.01)]!;
        action[i] = a;
        propensity[i] = a === rec ? 0.97 : 0.01;
        value[i] = 5 + 2 * x0 + tauTrue(x0, a) + 3 * rng.normal();
      }
      const opts = { actionAttributes: credit.map((c) => [c]), seed };
      const capped = fitPooledValueHead(
        { features: x, action, value, nActions: 4, propensity },
        { ...opts, maxWeight: 10 },
      );
      const uncapped = fitPooledValueHead({ features: x, action, value, nActions: 4, propensity }, opts);
      const floored = fitPooledValueHead(
        { features: x, action, value, nActions: 4, propensity: propensity.map((p) => Math.max(p, 0.1)) },
        opts,
      );
      const grid = denseMatrix(50, 1);
      for (let j = 0; j < 50; j++) grid.data[j] = (j + 0.5) / 50;
      const tc = capped.predictEffect(grid);
      expect(Array.from(tc)).toEqual(Array.from(floored.predictEffect(grid)));
      // The cap binds (the 1% rows): the uncapped fit differs.
      expect(Array.from(uncapped.predictEffect(grid))).not.toEqual(Array.from(tc));
    }
    expect(() =>
      fitPooledValueHead(
        { features: denseMatrix(2, 1), action: new Int32Array(2), value: new Float64Array(2), nActions: 2 },
        { maxWeight: 0.5 },
      ),
    ).toThrow(/maxWeight/);
  });
});
