import { describe, expect, it } from "vitest";
import { fitUplift } from "./fit-uplift.js";
import { loadUpliftModel } from "./load-uplift-model.js";
import { smallHgb as hgb } from "./test-helpers/small-hgb.js";
import { twoArmPehe as pehe, twoArmWorld as world } from "./test-helpers/two-arm-world.js";

function combineOf(model: { toJSON(): unknown }): unknown {
  const m = JSON.stringify(model.toJSON()).match(/"combine":(\{[^}]*\})/);
  return m ? JSON.parse(m[1]!) : null;
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
