import { formatIssues } from "@cia/core";
import { describe, expect, it } from "vitest";
import { safeCreateCandidates } from "./safe-create-candidates.js";

describe("safeCreateCandidates", () => {
  it("returns the candidates when valid", () => {
    const r = safeCreateCandidates({ nUnits: 1, unit: [0], action: [1], tauValue: [1], tauCost: [1] });
    expect(r.success).toBe(true);
  });

  it("returns one issue per bad row instead of throwing", () => {
    const r = safeCreateCandidates({
      nUnits: 2,
      unit: [0, 1, 1],
      action: [1, 1, 2],
      tauValue: [Number.NaN, 1, Number.NaN],
      tauCost: [1, 1, 1],
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.issues.map((i) => i.path)).toEqual([
      ["row", 0, "tau_value"],
      ["row", 2, "tau_value"],
    ]);
    expect(formatIssues(r.issues)).toContain("[non_finite_score]");
  });

  it("reports shape and code problems as a single issue", () => {
    const r = safeCreateCandidates({ nUnits: 1, unit: [0], action: [0], tauValue: [1], tauCost: [1] });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues[0]).toMatchObject({ code: "invalid_action", path: ["row", 0] });
  });
});
