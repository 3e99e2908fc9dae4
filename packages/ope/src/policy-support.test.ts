import { CiaError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { policyFromActions } from "./policy-matrix.js";
import { checkPolicySupport } from "./policy-support.js";

const action = Int32Array.of(1, 2, 1, 2);
const target = policyFromActions([1, 1, 2, 2], 3);

describe("checkPolicySupport", () => {
  it("drops the incremental comparison, with a note, when no offer was never logged", () => {
    const s = checkPolicySupport({ k: 3, action }, target, undefined, { needsWeights: true, mode: "error" });
    expect(s.withIncremental).toBe(false);
    expect(s.control[0]).toMatchObject({ action: 0, rows: 4, kind: "never_logged" });
    expect(s.notes[0]).toMatch(/^no offer \(action 0\) lacks logging support on 4 rows/);
    expect(Array.from(s.controlMatrix)).toEqual(Array.from(policyFromActions([0, 0, 0, 0], 3)));
  });
  it("throws for the target first, or only reports in report mode", () => {
    const bad = policyFromActions([0, 1, 2, 0], 3);
    const baseline = { matrix: bad, isControl: false };
    const run = (mode: "error" | "report") =>
      checkPolicySupport({ k: 3, action }, bad, baseline, { needsWeights: true, mode });
    expect(() => run("error")).toThrow(CiaError);
    expect(() => run("error")).toThrow(/the target policy/);
    const s = run("report");
    expect(s.baseline).toEqual(s.target);
    expect(s.notes).toHaveLength(2);
    // Without weights (DM only) support does not matter.
    expect(
      checkPolicySupport({ k: 3, action }, bad, baseline, { needsWeights: false, mode: "error" })
        .withIncremental,
    ).toBe(true);
  });
});
