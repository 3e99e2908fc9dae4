import { CiaError, denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { BinMapper } from "./bin-mapper.js";
import type { LearnersErrorCode } from "./error-codes.js";
import { HistGradientBoosting } from "./hist-gradient-boosting.js";
import { loadModel } from "./load-model.js";
import { LogisticRegression } from "./logistic-regression.js";
import { Ridge } from "./ridge.js";

// Every member of the union, spelled once more so the test fails if a throw uses another code.
const CODES: readonly LearnersErrorCode[] = [
  "invalid_option",
  "empty_data",
  "shape_mismatch",
  "invalid_feature",
  "invalid_target",
  "invalid_weight",
  "invalid_category",
  "too_many_categories",
  "invalid_model",
];

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (CiaError.isInstance(e)) return e.code;
    throw e;
  }
  throw new Error("did not throw");
}

describe("learners error codes", () => {
  const x = denseMatrix(4, 1, Float64Array.of(1, 2, 3, 4));
  it("each bad input throws a CiaError with its documented code", () => {
    const cases: [LearnersErrorCode, () => unknown][] = [
      ["invalid_option", () => new Ridge({ alpha: -1 }).fit(x, [1, 2, 3, 4])],
      ["empty_data", () => new Ridge().fit(denseMatrix(0, 1), [])],
      ["shape_mismatch", () => new Ridge().fit(x, [1, 2])],
      ["invalid_feature", () => new Ridge().fit(denseMatrix(1, 1, Float64Array.of(Number.NaN)), [1])],
      ["invalid_target", () => new LogisticRegression().fit(x, [0, 1, 2, 0])],
      ["invalid_weight", () => new Ridge().fit(x, [1, 2, 3, 4], { weights: [1, -1, 1, 1] })],
      [
        "invalid_category",
        () => BinMapper.fit(denseMatrix(1, 1, Float64Array.of(Infinity)), { categoricalFeatures: [0] }),
      ],
      ["too_many_categories", () => BinMapper.fit(x, { maxBins: 2, categoricalFeatures: [0] })],
      ["invalid_model", () => loadModel({ kind: "svm", version: 1 })],
      ["invalid_option", () => new HistGradientBoosting({ maxIter: 0 }).fit(x, [1, 2, 3, 4])],
    ];
    for (const [code, f] of cases) {
      expect(codeOf(f)).toBe(code);
      expect(CODES).toContain(code);
    }
  });
});
