import { CiaError, DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { ips } from "./ips.js";
import { tinyInputs } from "./test-helpers/tiny.js";
import { assertValidEstimatorInputs, validateEstimatorInputs } from "./validate-inputs.js";

describe("validateEstimatorInputs", () => {
  it("accepts valid inputs", () => {
    expect(validateEstimatorInputs(tinyInputs())).toEqual([]);
  });
  it("names the row and field of each problem", () => {
    const bad = {
      ...tinyInputs(),
      propensity: Float64Array.of(0.5, 0, 1.5, 0.75),
      action: Int32Array.of(0, 1, 1, 2),
    };
    const issues = validateEstimatorInputs(bad);
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "propensity_out_of_range", path: ["row", 1, "propensity"] }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "propensity_out_of_range", path: ["row", 2, "propensity"] }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "action_out_of_range", path: ["row", 3, "action"] }),
    );
  });
  it("checks shapes, distributions, finiteness and the reward model", () => {
    const t = tinyInputs();
    expect(validateEstimatorInputs({ ...t, reward: new Float64Array(3) })[0]!.code).toBe("shape_mismatch");
    expect(validateEstimatorInputs({ ...t, target: new Float64Array(8) })[0]!.code).toBe(
      "not_a_distribution",
    );
    expect(validateEstimatorInputs({ ...t, reward: Float64Array.of(1, Number.NaN, 0, 0) })[0]!.code).toBe(
      "non_finite",
    );
    expect(validateEstimatorInputs({ ...t, qHat: undefined }, { requireQHat: true })[0]!.code).toBe(
      "missing_q_hat",
    );
    expect(validateEstimatorInputs({ ...t, k: 0 })[0]!.code).toBe("invalid_k");
  });
  it("the throwing variant raises a DataValidationError, as do the estimators", () => {
    const bad = { ...tinyInputs(), propensity: Float64Array.of(0.5, 0, 1, 1) };
    expect(() => assertValidEstimatorInputs(bad)).toThrow(DataValidationError);
    try {
      ips(bad);
      expect.unreachable();
    } catch (e) {
      expect(CiaError.isInstance(e)).toBe(true);
      expect((e as CiaError).code).toBe("data_validation");
      expect((e as Error).message).toContain("propensity");
    }
  });
});
