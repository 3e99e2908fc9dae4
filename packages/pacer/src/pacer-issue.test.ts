import { describe, expect, it } from "vitest";
import { cohortIssue, lengthIssue, pacerIssue } from "./pacer-issue.js";

describe("pacer issues", () => {
  it("builds the issues the validators collect", () => {
    expect(pacerIssue("invalid_time", ["time", 2], "no")).toEqual({
      code: "invalid_time",
      path: ["time", 2],
      message: "no",
    });
    expect(lengthIssue("event", 3, "time", 4)).toEqual({
      code: "shape_mismatch",
      path: ["event"],
      message: "event has length 3, time has 4",
    });
    expect(cohortIssue(5, "assignedAt", "finite", Number.NaN)).toEqual({
      code: "invalid_cohort",
      path: ["cohorts", 5, "assignedAt"],
      message: "assignedAt must be finite, got NaN",
    });
  });
});
