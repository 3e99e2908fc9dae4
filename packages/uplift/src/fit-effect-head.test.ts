import { createRng, denseMatrix } from "@cia/core";
import { HistGradientBoosting, type Learner } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { fitUplift } from "./fit-uplift.js";
import { loadUpliftModel } from "./load-uplift-model.js";
import { numpyKFoldTestFolds } from "./numpy-kfold.js";

/**
 * Two arms, uniform assignment, nonlinear baseline, effect 1 + 1{x0 > 0}; noise sd `sd0` on no-offer
 * and `sd1` on the offer. The effect model fitted on the quiet arm's imputations is the better one,
 * so whether a stacked weight beats the propensity weight 0.5 depends on which arm is quiet.
 */
function world(n: number, seed: number, sd0: number, sd1: number) {
  const rng = createRng(seed);
  const x = denseMatrix(n, 3);
  for (let j = 0; j < n * 3; j++) x.data[j] = rng.normal();
  const action = new Int32Array(n);
  const value = new Float64Array(n);
  const tau = new Float64Array(n);
  const propensity = new Float64Array(n * 2).fill(0.5);
  for (let i = 0; i < n; i++) {
    const x0 = x.data[i * 3]!;
    const a = rng.bernoulli(0.5);
    action[i] = a;
    tau[i] = 1 + (x0 > 0 ? 1 : 0);
    value[i] = Math.sin(2 * x0) + 2 * x0 * x0 + a * tau[i]! + rng.normal(0, a ? sd1 : sd0);
  }
  return { x, action, value, propensity, tau };
}

const hgb = () =>
  new HistGradientBoosting({
    maxIter: 50,
    learningRate: 0.1,
    maxLeafNodes: 15,
    earlyStopping: false,
    seed: 0,
  });

function combineOf(model: { toJSON(): unknown }): unknown {
  const m = JSON.stringify(model.toJSON()).match(/"combine":(\{[^}]*\})/);
  return m ? JSON.parse(m[1]!) : null;
}

function pehe(tau: Float64Array, truth: Float64Array): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (tau[i * 2 + 1]! - truth[i]!) ** 2;
  return s / truth.length;
}

describe('X-learner combine: "dr-select"', () => {
  it("keeps the stacked weight when it clearly lowers the cross-fitted DR loss, and it helps", () => {
    const w = world(2000, 5, 0.1, 2);
    const t = world(1000, 6, 0.1, 2);
    const fitWith = (combine: "propensity" | "dr-stack" | "dr-select") =>
      fitUplift(
        { features: w.x, action: w.action, value: w.value, propensity: w.propensity },
        { learner: "x", combine, value: { learner: hgb }, seed: 1 },
      );
    const select = fitWith("dr-select");
    const stack = fitWith("dr-stack");
    const base = fitWith("propensity");
    const c = combineOf(select) as { kind: string; weights: (number | null)[] };
    expect(c.kind).toBe("stacked");
    expect(c.weights[1]).toBe((combineOf(stack) as { weights: number[] }).weights[1]);
    // The weight sits on the control-side model (its imputations use the quiet no-offer outcomes).
    expect(c.weights[1]!).toBeGreaterThan(0.7);
    const a = select.predict(t.x);
    expect(Array.from(a.tauValue)).toEqual(Array.from(stack.predict(t.x).tauValue));
    expect(pehe(a.tauValue, t.tau)).toBeLessThan(
      pehe(base.predict(t.x, { propensity: t.propensity }).tauValue, t.tau),
    );
    const loaded = loadUpliftModel(JSON.stringify(select.toJSON()));
    expect(Array.from(loaded.predict(t.x).tauValue)).toEqual(Array.from(a.tauValue));
  });

  it("falls back to the propensity combination when the stacked weight does not win by one standard error", () => {
    const w = world(2000, 5, 2, 0.1);
    const t = world(500, 6, 2, 0.1);
    const fitWith = (combine: "propensity" | "dr-select") =>
      fitUplift(
        { features: w.x, action: w.action, value: w.value, propensity: w.propensity },
        { learner: "x", combine, value: { learner: hgb }, seed: 1 },
      );
    const select = fitWith("dr-select");
    expect(combineOf(select)).toEqual({ kind: "stacked", weights: [0, null] });
    const base = fitWith("propensity");
    const a = select.predict(t.x, { propensity: t.propensity });
    expect(Array.from(a.tauValue)).toEqual(
      Array.from(base.predict(t.x, { propensity: t.propensity }).tauValue),
    );
    const loaded = loadUpliftModel(JSON.stringify(select.toJSON()));
    expect(Array.from(loaded.predict(t.x, { propensity: t.propensity }).tauValue)).toEqual(
      Array.from(a.tauValue),
    );
  });

  it("takes the weight from 2-fold cross-fitting by default, from a 2/3-1/3 holdout on request, and handles several offers", () => {
    const w = world(1200, 5, 0.1, 2);
    const fitStack = (
      split: { stackSplit?: "holdout" | "cross-fit"; crossFitFolds?: number },
      action = w.action,
      propensity = w.propensity,
    ) =>
      fitUplift(
        { features: w.x, action, value: w.value, propensity },
        { learner: "x", combine: "dr-stack", ...split, value: { learner: hgb }, seed: 1 },
      );
    const weightOf = (m: ReturnType<typeof fitStack>) => (combineOf(m) as { weights: number[] }).weights[1];
    const cf = weightOf(fitStack({}));
    expect(cf).toBe(weightOf(fitStack({ stackSplit: "cross-fit" })));
    // cross-fitting defaults to 2 folds and differs from 3; the holdout ignores crossFitFolds
    expect(cf).toBe(weightOf(fitStack({ crossFitFolds: 2 })));
    expect(cf).not.toBe(weightOf(fitStack({ crossFitFolds: 3 })));
    const holdout = weightOf(fitStack({ stackSplit: "holdout" }));
    expect(holdout).toBe(weightOf(fitStack({ stackSplit: "holdout", crossFitFolds: 3 })));
    expect(cf).not.toBe(holdout);
    for (const c of [holdout, cf]) expect(c! >= 0 && c! <= 1).toBe(true);
    // Split the offer arm into two offers: one weight in [0, 1] per offer.
    const three = Int32Array.from(w.action, (a, i) => (a === 0 ? 0 : 1 + (i % 2)));
    const p3 = new Float64Array(w.x.rows * 3).fill(0.5);
    for (let i = 0; i < w.x.rows; i++) p3[i * 3 + 1] = p3[i * 3 + 2] = 0.25;
    const c3 = combineOf(fitStack({}, three, p3)) as { weights: number[] };
    expect(c3.weights).toHaveLength(3);
    for (const c of c3.weights.slice(1)) expect(c >= 0 && c <= 1).toBe(true);
  });
});

describe("DR-learner sample splitting", () => {
  it('rotates CausalML\'s three KFold folds by default; "cross-fit" fits on two thirds and differs', () => {
    const n = 3000;
    const d = world(n, 5, 1, 1);
    const fitWith = (drScheme?: "rotate" | "cross-fit") => {
      const outcomeRows: number[] = [];
      const effectRows: number[] = [];
      const counting = (sizes: number[]) => (): Learner => {
        const l = hgb();
        return {
          kind: l.kind,
          fit: (x, y, o) => {
            sizes.push(x.rows);
            return l.fit(x, y, o);
          },
        };
      };
      const model = fitUplift(
        { features: d.x, action: d.action, value: d.value, propensity: d.propensity },
        {
          learner: "dr",
          drScheme,
          value: { learner: counting(outcomeRows), effectLearner: counting(effectRows) },
          seed: 1,
        },
      );
      return {
        model,
        outcomeRows,
        effectRows,
        tau: model.predict(d.x, { propensity: d.propensity }).tauValue,
      };
    };
    const rotate = fitWith();
    const folds = numpyKFoldTestFolds(n, 3, 0);
    // effect model f on fold f + 2's rows (every arm here); outcome models on fold f + 1's arms
    expect(rotate.effectRows).toEqual([folds[2]!.length, folds[0]!.length, folds[1]!.length]);
    const armCount = (fold: Int32Array, a: number) => fold.filter((i) => d.action[i] === a).length;
    expect(rotate.outcomeRows).toEqual(
      [1, 2, 0].flatMap((f) => [armCount(folds[f]!, 0), armCount(folds[f]!, 1)]),
    );
    expect(Array.from(fitWith("rotate").tau)).toEqual(Array.from(rotate.tau));
    const cf = fitWith("cross-fit");
    expect(cf.effectRows).toHaveLength(3);
    for (const m of cf.effectRows) expect(Math.abs(m - n / 3)).toBeLessThanOrEqual(2);
    // cross-fit outcome models see two thirds of each arm
    expect(cf.outcomeRows.reduce((s, v) => s + v, 0)).toBe(2 * n);
    expect(Array.from(cf.tau)).not.toEqual(Array.from(rotate.tau));
    // both beat the best constant (the true effect's variance, 0.25)
    expect(pehe(rotate.tau, d.tau)).toBeLessThan(0.25);
    expect(pehe(cf.tau, d.tau)).toBeLessThan(0.25);
    // the JSON (three effect/f models, averaged at predict time) round-trips
    const json = JSON.stringify(rotate.model.toJSON());
    expect(json.match(/"effect\/\d"/g)?.length).toBe(3);
    const again = loadUpliftModel(JSON.parse(json)).predict(d.x, { propensity: d.propensity }).tauValue;
    expect(Array.from(again)).toEqual(Array.from(rotate.tau));
  });
});
