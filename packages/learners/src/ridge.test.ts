import { matrixFromRows } from "@cia/core";
import { describe, expect, it } from "vitest";
import { matrixOf, sklearnFixture } from "../test/load-fixture.js";
import { Ridge } from "./ridge.js";

const fx = sklearnFixture();
const cols = ["x1", "x2", "x3", "x4", "x5"];
const x = matrixOf(fx, cols, 0, fx.nTrain);
const y = fx.columns.y_reg!.subarray(0, fx.nTrain);
const w = fx.columns.w!.subarray(0, fx.nTrain);

describe("Ridge", () => {
  it("matches the closed form on a hand-checked example", () => {
    // x = [0, 1, 2], y = [1, 3, 4]: centered x = [-1, 0, 1], centered y = [-4/3, 2/3, 5/3];
    // slope = sum(xc yc) / (sum(xc^2) + alpha) = 3 / (2 + 1) = 1, intercept = 8/3 - 1 * 1 = 5/3.
    const model = new Ridge({ alpha: 1 }).fit(matrixFromRows([[0], [1], [2]]), [1, 3, 4]);
    expect(model.coef[0]).toBeCloseTo(1, 14);
    expect(model.intercept).toBeCloseTo(5 / 3, 14);
    const noIntercept = new Ridge({ alpha: 1, fitIntercept: false }).fit(
      matrixFromRows([[0], [1], [2]]),
      [1, 3, 4],
    );
    // slope = sum(x y) / (sum(x^2) + alpha) = 11 / 6
    expect(noIntercept.coef[0]).toBeCloseTo(11 / 6, 14);
    expect(noIntercept.intercept).toBe(0);
  });

  for (const alpha of [1, 100]) {
    it(`agrees with sklearn Ridge(alpha=${alpha}), unweighted and weighted`, () => {
      const ref = fx.reference[`ridge_alpha_${alpha}`];
      const a = new Ridge({ alpha }).fit(x, y);
      expect(a.intercept).toBeCloseTo(ref.intercept, 10);
      for (let j = 0; j < a.coef.length; j++) expect(a.coef[j]).toBeCloseTo(ref.coef[j], 10);
      const b = new Ridge({ alpha }).fit(x, y, { weights: w });
      expect(b.intercept).toBeCloseTo(ref.weighted_intercept, 10);
      for (let j = 0; j < b.coef.length; j++) expect(b.coef[j]).toBeCloseTo(ref.weighted_coef[j], 10);
    });
  }

  it("standardize penalizes scaled coefficients and reports them on the original scale", () => {
    const rows = [
      [0, 0],
      [1, 10],
      [2, 5],
      [3, 30],
    ];
    const yy = [1, 2, 2, 5];
    const scaled = rows.map((r) => [r[0]! * 100, r[1]!]);
    const a = new Ridge({ alpha: 0.5, standardize: true }).fit(matrixFromRows(rows), yy);
    const b = new Ridge({ alpha: 0.5, standardize: true }).fit(matrixFromRows(scaled), yy);
    // rescaling a column leaves standardized fits unchanged: coefficient scales inversely
    expect(b.coef[0]! * 100).toBeCloseTo(a.coef[0]!, 12);
    expect(b.intercept).toBeCloseTo(a.intercept, 12);
    const p = a.predict(matrixFromRows(rows));
    expect(p.length).toBe(4);
  });

  it("rejects missing values", () => {
    expect(() => new Ridge().fit(matrixFromRows([[Number.NaN], [1]]), [0, 1])).toThrow(/missing/);
  });
});
