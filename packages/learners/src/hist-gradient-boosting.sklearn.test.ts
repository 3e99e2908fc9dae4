import { describe, expect, it } from "vitest";
import { matrixOf, sklearnFixture } from "../test/load-fixture.js";
import { HistGradientBoosting } from "./hist-gradient-boosting.js";

// sklearn 1.2.1 HistGradientBoosting{Regressor,Classifier}(max_iter=100, early_stopping=False,
// random_state=0) on test/fixtures/sklearn-data.csv (generator: test/fixtures/make-sklearn-fixture.py).
const fx = sklearnFixture();
const { nTrain, nTest } = fx;
const n = nTrain + nTest;

function rmse(p: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
  return Math.sqrt(s / p.length);
}

function logLoss(p: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(Math.max(p[i]!, 1e-15), 1 - 1e-15);
    s -= y[i]! * Math.log(q) + (1 - y[i]!) * Math.log(1 - q);
  }
  return s / p.length;
}

describe("HistGradientBoosting agrees with sklearn", () => {
  for (const nan of [false, true]) {
    const cols = ["x1", nan ? "x2_nan" : "x2", "x3", "x4", "x5"];
    const xTrain = matrixOf(fx, cols, 0, nTrain);
    const xTest = matrixOf(fx, cols, nTrain, n);

    it(`squared error${nan ? " with missing values" : ""}: test RMSE by iteration`, () => {
      const ref = fx.reference[nan ? "hgb_reg_nan" : "hgb_reg"];
      const y = fx.columns.y_reg!;
      const model = new HistGradientBoosting({ maxIter: 100 }).fit(xTrain, y.subarray(0, nTrain));
      const yTest = y.subarray(nTrain, n);
      for (const k of [10, 20, 50, 100]) {
        const got = rmse(model.predict(xTest, undefined, { iterations: k }), yTest);
        expect(Math.abs(got / ref.rmse_at[String(k)] - 1)).toBeLessThan(1e-3);
      }
      const first = model.predict(xTest).subarray(0, 5);
      for (let i = 0; i < 5; i++) expect(first[i]).toBeCloseTo(ref.first_test_predictions[i], 4);
    });

    it(`binary logistic${nan ? " with missing values" : ""}: test log-loss by iteration`, () => {
      const ref = fx.reference[nan ? "hgb_bin_nan" : "hgb_bin"];
      const y = fx.columns.y_bin!;
      const model = new HistGradientBoosting({ loss: "logistic", maxIter: 100 }).fit(
        xTrain,
        y.subarray(0, nTrain),
      );
      const yTest = y.subarray(nTrain, n);
      for (const k of [10, 20, 50, 100]) {
        const got = logLoss(model.predict(xTest, undefined, { iterations: k }), yTest);
        expect(Math.abs(got / ref.logloss_at[String(k)] - 1)).toBeLessThan(1e-3);
      }
      const first = model.predict(xTest).subarray(0, 5);
      for (let i = 0; i < 5; i++) expect(first[i]).toBeCloseTo(ref.first_test_probabilities[i], 4);
    });
  }
});
