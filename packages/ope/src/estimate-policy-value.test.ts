import { describe, expect, it } from "vitest";
import { estimatePolicyValue } from "./estimate-policy-value.js";
import { ips } from "./ips.js";
import { numpyMean } from "@cia/core/parity";
import { switchDoublyRobust } from "./switch-doubly-robust.js";
import { tinyInputs } from "./test-helpers/tiny.js";
import { ESTIMATOR_NAMES } from "./types.js";

describe("estimatePolicyValue", () => {
  const inputs = tinyInputs();
  it("dispatches by name and passes clip and tau", () => {
    for (const name of ESTIMATOR_NAMES) expect(estimatePolicyValue(name, inputs).estimator).toBe(name);
    expect(estimatePolicyValue("ips", inputs, { clip: 0.5 }).estimate).toBe(
      ips(inputs, { clip: 0.5 }).estimate,
    );
    expect(estimatePolicyValue("switch-dr", inputs, { tau: 0.9 }).estimate).toBe(
      switchDoublyRobust(inputs, { tau: 0.9 }).estimate,
    );
    expect(() => estimatePolicyValue("magic" as "ips", inputs)).toThrow(RangeError);
  });
  it("every estimate is the numpy mean of its rounds", () => {
    for (const name of ESTIMATOR_NAMES) {
      const r = estimatePolicyValue(name, inputs);
      expect(r.rounds).toHaveLength(4);
      expect(r.estimate).toBe(numpyMean(r.rounds));
    }
  });
});
