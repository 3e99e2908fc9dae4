import { CiaError } from "@cia/core";
import type { DenseMatrix } from "@cia/core";
import type { FittedModel, ModelJson } from "./learner.js";
import type { LearnersErrorCode } from "./error-codes.js";

/** Serialized linear model (ridge or logistic regression). */
export interface LinearModelJson extends ModelJson {
  kind: "ridge" | "logistic";
  version: 1;
  intercept: number;
  coef: number[];
  /** Iterations used by the solver (logistic only). */
  nIter?: number;
}

/**
 * A fitted linear model: `intercept + x . coef` (ridge), or its logistic transform (logistic
 * regression; `predictRaw` gives the log-odds). Coefficients are on the original feature scale.
 *
 * @example
 * const model = new Ridge({ alpha: 1 }).fit(x, y);
 * model.coef; model.intercept; model.predict(xTest);
 */
export class LinearModel implements FittedModel {
  readonly kind: "ridge" | "logistic";
  readonly nFeatures: number;
  readonly intercept: number;
  readonly coef: Float64Array;
  readonly nIter: number | undefined;

  constructor(kind: "ridge" | "logistic", intercept: number, coef: Float64Array, nIter?: number) {
    this.kind = kind;
    this.intercept = intercept;
    this.coef = Float64Array.from(coef);
    this.nFeatures = coef.length;
    this.nIter = nIter;
    Object.freeze(this);
  }

  /** Linear predictor (log-odds for logistic regression). */
  predictRaw(x: DenseMatrix, out?: Float64Array): Float64Array {
    if (x.cols !== this.nFeatures) {
      throw new CiaError<LearnersErrorCode>(
        "shape_mismatch",
        `x has ${x.cols} columns, the model expects ${this.nFeatures}`,
        {
          cols: x.cols,
          expected: this.nFeatures,
        },
      );
    }
    const n = x.rows;
    const p = x.cols;
    const res = out ?? new Float64Array(n);
    const d = x.data;
    const c = this.coef;
    for (let i = 0; i < n; i++) {
      let s = this.intercept;
      const off = i * p;
      for (let j = 0; j < p; j++) s += d[off + j]! * c[j]!;
      res[i] = s;
    }
    return res;
  }

  /** Predictions: means (ridge) or probabilities (logistic). */
  predict(x: DenseMatrix, out?: Float64Array): Float64Array {
    const r = this.predictRaw(x, out);
    if (this.kind === "logistic") for (let i = 0; i < x.rows; i++) r[i] = 1 / (1 + Math.exp(-r[i]!));
    return r;
  }

  toJSON(): LinearModelJson {
    const json: LinearModelJson = {
      kind: this.kind,
      version: 1,
      intercept: this.intercept,
      coef: Array.from(this.coef),
    };
    if (this.nIter !== undefined) json.nIter = this.nIter;
    return json;
  }

  /** Rebuild from {@link LinearModel.toJSON} output. */
  static fromJSON(json: LinearModelJson): LinearModel {
    if (
      (json.kind !== "ridge" && json.kind !== "logistic") ||
      json.version !== 1 ||
      !Array.isArray(json.coef)
    ) {
      throw new CiaError<LearnersErrorCode>(
        "invalid_model",
        `not a linear model (kind ${String(json.kind)})`,
        {},
      );
    }
    return new LinearModel(json.kind, json.intercept, Float64Array.from(json.coef), json.nIter);
  }
}
