import { CiaError, type DenseMatrix } from "@cia/core";
import type { UpliftErrorCode } from "./error-codes.js";

/**
 * Throw `feature_mismatch` unless `x` has the `expected` number of feature columns; `what` names the
 * fitted object in the message ("model", "cost head").
 *
 * @example
 * checkFeatureCount(x, this.nFeatures); // before predicting
 */
export function checkFeatureCount(x: DenseMatrix, expected: number, what = "model"): void {
  if (x.cols !== expected) {
    throw new CiaError<UpliftErrorCode>(
      "feature_mismatch",
      `${what} expects ${expected} features, got ${x.cols}`,
      {
        expected,
        got: x.cols,
      },
    );
  }
}
