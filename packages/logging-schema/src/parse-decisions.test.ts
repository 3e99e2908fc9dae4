import { DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { parseDecisions, safeParseDecisions } from "./parse-decisions.js";
import { validDecision } from "./test-helpers/fixtures.js";

describe("parseDecisions", () => {
  it("validates arrays with index-prefixed paths and unique ids", () => {
    const ok = [validDecision(), validDecision({ decision_id: "d2" })];
    expect(parseDecisions(ok)).toEqual(ok);
    const r = safeParseDecisions([
      validDecision(),
      validDecision({ propensity: 0, action_probabilities: undefined }),
      validDecision(),
    ]);
    expect(!r.success && r.issues.map((i) => [i.code, i.path])).toEqual([
      ["propensity_out_of_range", [1, "propensity"]],
      ["duplicate_decision_id", [2, "decision_id"]],
    ]);
    expect(() => parseDecisions([{}])).toThrow(DataValidationError);
  });
});
