import { describe, expect, it } from "vitest";
import { policyFromActions } from "./policy-matrix.js";
import { evaluationIssues } from "./validate-evaluation.js";

const action = Int32Array.of(0, 1, 1, 0);
const propensity = Float64Array.of(0.5, 0.5, 0.5, 0.5);
const data = { k: 2, action, propensity, value: Float64Array.of(1, Number.NaN, 0, 1) };
const context = { action, propensity, realized: false, estimators: ["ips", "dr"] as const, needsModel: true };

describe("evaluationIssues", () => {
  it("names the evaluation's fields (value, cost, baseline) and reports every problem at once", () => {
    const issues = evaluationIssues(
      { ...data, cost: Float64Array.of(1, 2) },
      { target: policyFromActions([1, 1, 1, 1], 2), baseline: Float64Array.of(1, 0), populationSize: 0 },
      context,
    );
    const where = issues.map((i) => `${i.code}@${i.path.join(".")}`);
    expect(where).toContain("missing_q_hat@qHat");
    expect(where).toContain("missing_q_hat@qHat.cost");
    expect(where).toContain("shape_mismatch@baseline");
    expect(where).toContain("invalid_population_size@populationSize");
    expect(where.filter((w) => w.startsWith("shape_mismatch@cost"))).toHaveLength(1);
  });
  it("is empty for usable inputs", () => {
    const ok = { ...data, value: Float64Array.of(1, 0, 0, 1) };
    expect(
      evaluationIssues(
        ok,
        { target: policyFromActions([1, 1, 0, 0], 2) },
        { ...context, estimators: ["ips"], needsModel: false },
      ),
    ).toEqual([]);
  });
});
