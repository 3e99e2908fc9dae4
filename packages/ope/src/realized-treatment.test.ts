import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "./evaluate-policy.js";
import { policyFromActions } from "./policy-matrix.js";
import { realizedTreatment } from "./realized-treatment.js";

describe("realizedTreatment", () => {
  it("hand-computed propensities of the realized treatment", () => {
    // K = 3, logging [0.2, 0.3, 0.5] for both rows; compliance per action [-, 0.5, 0.8].
    const logging = Float64Array.of(0.2, 0.3, 0.5, 0.2, 0.3, 0.5);
    const r = realizedTreatment({
      k: 3,
      action: Int32Array.of(2, 1),
      compliant: Uint8Array.of(1, 0),
      loggingProbabilities: logging,
      complianceProbability: Float64Array.of(1, 0.5, 0.8),
    });
    expect(Array.from(r.action)).toEqual([2, 0]);
    expect(r.propensity[0]).toBeCloseTo(0.5 * 0.8, 15);
    // P(D = 0) = 0.2 + 0.3 * 0.5 + 0.5 * 0.2
    expect(r.propensity[1]).toBeCloseTo(0.2 + 0.15 + 0.1, 15);
  });

  it("evaluating on realized treatment recovers the realized-treatment value; intent-to-treat does not", () => {
    // Uniform assignment over {no offer, offer}; 60% of offers are realized; an unrealized offer
    // acts as no offer. E[value | realized no offer] = 1, E[value | realized offer] = 3.
    const n = 20_000;
    const k = 2;
    const rng = createRng(4);
    const action = new Int32Array(n);
    const compliant = new Uint8Array(n);
    const value = new Float64Array(n);
    const logging = new Float64Array(n * k).fill(0.5);
    for (let i = 0; i < n; i++) {
      action[i] = rng.bernoulli(0.5);
      compliant[i] = action[i] === 1 ? rng.bernoulli(0.6) : 1;
      const treated = action[i] === 1 && compliant[i] === 1;
      value[i] = (treated ? 3 : 1) + rng.normal(0, 1);
    }
    const realized = realizedTreatment({
      k,
      action,
      compliant,
      loggingProbabilities: logging,
      complianceProbability: 0.6,
    });
    const target = policyFromActions(new Int32Array(n).fill(1), k);
    const base = { k, action, propensity: new Float64Array(n).fill(0.5), value };
    const onRealized = evaluatePolicy(
      { ...base, realizedAction: realized.action, realizedPropensity: realized.propensity },
      { target, estimators: ["ips"], interval: { method: "normal" } },
    );
    const itt = evaluatePolicy(base, { target, estimators: ["ips"], interval: { method: "normal" } });
    expect(onRealized.treatment).toBe("realized");
    expect(itt.treatment).toBe("assigned");
    const v = onRealized.estimates.ips!.value;
    expect(Math.abs(v.estimate - 3)).toBeLessThan(4 * v.se);
    const w = itt.estimates.ips!.value;
    expect(Math.abs(w.estimate - (0.6 * 3 + 0.4 * 1))).toBeLessThan(4 * w.se);
    expect(v.lower).toBeGreaterThan(w.upper);
  });

  it("rejects mismatched shapes", () => {
    expect(() =>
      realizedTreatment({
        k: 2,
        action: Int32Array.of(1),
        compliant: Uint8Array.of(1, 1),
        loggingProbabilities: Float64Array.of(0.5, 0.5),
        complianceProbability: 1,
      }),
    ).toThrow(/compliant/);
  });
});
