import { createRng, denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { matrixOf, sklearnFixture } from "../test/load-fixture.js";
import { LogisticRegression } from "./logistic-regression.js";

const fx = sklearnFixture();
const cols = ["x1", "x2", "x3", "x4", "x5"];
const x = matrixOf(fx, cols, 0, fx.nTrain);
const y = fx.columns.y_bin!.subarray(0, fx.nTrain);
const w = fx.columns.w!.subarray(0, fx.nTrain);

describe("LogisticRegression", () => {
  // sklearn's lbfgs (tol 1e-12) and our Newton iterations agree to ~1e-6
  for (const C of [1, 0.01]) {
    it(`agrees with sklearn LogisticRegression(C=${C}), unweighted and weighted`, () => {
      const ref = fx.reference[`logistic_C_${C}`];
      const a = new LogisticRegression({ C }).fit(x, y);
      expect(a.intercept).toBeCloseTo(ref.intercept, 5);
      for (let j = 0; j < a.coef.length; j++) expect(a.coef[j]).toBeCloseTo(ref.coef[j], 5);
      const b = new LogisticRegression({ C }).fit(x, y, { weights: w });
      expect(b.intercept).toBeCloseTo(ref.weighted_intercept, 5);
      for (let j = 0; j < b.coef.length; j++) expect(b.coef[j]).toBeCloseTo(ref.weighted_coef[j], 5);
    });
  }

  it("recovers known coefficients from a large simulated sample", () => {
    const rng = createRng(3);
    const n = 20000;
    const xs = denseMatrix(n, 2);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs.set(i, 0, rng.normal());
      xs.set(i, 1, rng.normal());
      ys[i] = rng.bernoulli(1 / (1 + Math.exp(-(-0.5 + 1.0 * xs.get(i, 0) - 2.0 * xs.get(i, 1)))));
    }
    const m = new LogisticRegression({ l2: 0 }).fit(xs, ys);
    expect(m.intercept).toBeCloseTo(-0.5, 1);
    expect(m.coef[0]).toBeCloseTo(1.0, 1);
    expect(m.coef[1]).toBeCloseTo(-2.0, 1);
    const p = m.predict(xs);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(m.predictRaw(xs)[0]).toBeCloseTo(Math.log(p[0]! / (1 - p[0]!)), 10);
  });

  it("rejects targets outside [0, 1]", () => {
    expect(() =>
      new LogisticRegression().fit(
        x,
        Float64Array.from(y, (v) => v * 2),
      ),
    ).toThrow(/\[0, 1\]/);
  });
});
