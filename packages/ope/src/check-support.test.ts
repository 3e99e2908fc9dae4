import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { assertSupport, findSupportViolations } from "./check-support.js";
import { policyFromActions } from "./policy-matrix.js";

describe("support checks", () => {
  // Six units, K = 3; action 2 is never logged.
  const action = Int32Array.of(0, 1, 0, 1, 0, 1);
  const target = policyFromActions([2, 2, 1, 0, 2, 1], 3);

  it("flags actions the target uses but the log never took, with counts", () => {
    const v = findSupportViolations({
      k: 3,
      action,
      target,
      actionNames: ["control", "offer_5", "offer_10"],
    });
    expect(v).toEqual([
      { action: 2, name: "offer_10", rows: 3, targetMass: 3, loggedCount: 0, kind: "never_logged" },
    ]);
  });

  it("is exact per row with the full logging distribution", () => {
    // Action 1 has zero logging probability on rows 2 and 3 only; action 2 on every row.
    const logging = Float64Array.of(0.5, 0.5, 0, 0.5, 0.5, 0, 1, 0, 0, 1, 0, 0, 0.5, 0.5, 0, 0.5, 0.5, 0);
    const v = findSupportViolations({ k: 3, action, target, loggingProbabilities: logging });
    expect(v.map((x) => [x.action, x.rows, x.kind])).toEqual([
      [1, 1, "zero_propensity"],
      [2, 3, "zero_propensity"],
    ]);
  });

  it("throws a CiaError naming the actions and counts", () => {
    try {
      assertSupport({ k: 3, action, target, actionNames: ["control", "offer_5", "offer_10"] }, "target");
      expect.unreachable();
    } catch (e) {
      expect(CiaError.isInstance(e)).toBe(true);
      const err = e as CiaError;
      expect(err.code).toBe("support_violation");
      expect(err.message).toContain("offer_10 (index 2) on 3 rows");
      expect(err.details.violations).toHaveLength(1);
      expect(err.details.policy).toBe("target");
    }
  });

  it("passes when every action with target mass was logged", () => {
    expect(() =>
      assertSupport({ k: 3, action, target: policyFromActions([0, 1, 1, 0, 0, 1], 3) }),
    ).not.toThrow();
  });
});
