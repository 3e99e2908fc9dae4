import { createRng, denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { HistGradientBoosting } from "./hist-gradient-boosting.js";
import { loadModel, safeLoadModel } from "./load-model.js";
import { LogisticRegression } from "./logistic-regression.js";
import { Ridge } from "./ridge.js";

function data(n: number, seed: number) {
  const rng = createRng(seed);
  const x = denseMatrix(n, 3);
  const y = new Float64Array(n);
  const yb = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x.set(i, 0, rng.normal());
    x.set(i, 1, rng.next() < 0.1 ? Number.NaN : rng.normal());
    x.set(i, 2, rng.int(5));
    y[i] = x.get(i, 0) + (x.get(i, 2) === 3 ? 2 : 0) + rng.normal(0, 0.2);
    yb[i] = rng.bernoulli(1 / (1 + Math.exp(-x.get(i, 0))));
  }
  return { x, y, yb };
}

describe("loadModel", () => {
  const { x, y, yb } = data(1500, 1);
  const test = data(300, 2).x;

  it("round-trips gradient boosting models (NaN, categorical, every loss) with identical predictions", () => {
    const models = [
      new HistGradientBoosting({ maxIter: 30, categoricalFeatures: [2] }).fit(x, y),
      new HistGradientBoosting({ loss: "logistic", maxIter: 30 }).fit(x, yb),
      new HistGradientBoosting({ loss: "poisson", maxIter: 20 }).fit(
        x,
        Float64Array.from(y, (v) => Math.exp(v / 3)),
      ),
      new HistGradientBoosting({ loss: "tweedie", maxIter: 20, earlyStopping: true }).fit(
        x,
        Float64Array.from(y, (v) => Math.max(0, v)),
      ),
    ];
    for (const m of models) {
      const again = loadModel(JSON.stringify(m.toJSON()));
      expect(again.kind).toBe("gbdt");
      expect(again.nFeatures).toBe(3);
      expect(again.predict(test)).toEqual(m.predict(test));
    }
  });

  it("round-trips ridge and logistic regression", () => {
    const xf = denseMatrix(
      1500,
      1,
      Float64Array.from({ length: 1500 }, (_, i) => x.get(i, 0)),
    );
    for (const m of [new Ridge({ alpha: 2 }).fit(xf, y), new LogisticRegression({ C: 0.5 }).fit(xf, yb)]) {
      const again = loadModel(JSON.parse(JSON.stringify(m)));
      expect(again.kind).toBe(m.kind);
      expect(again.predict(xf)).toEqual(m.predict(xf));
    }
  });

  it("reports bad input as CiaError, or as a result with safeLoadModel", () => {
    expect(() => loadModel("{")).toThrow(/parse/);
    expect(() => loadModel({ kind: "svm", version: 1 })).toThrow(/unknown model kind/);
    const r = safeLoadModel({ kind: "gbdt", version: 1, feature: [0], threshold: [] });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.code).toBe("invalid_model");
  });
});
