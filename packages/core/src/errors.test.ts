import { describe, expect, it } from "vitest";
import { CiaError } from "./cia-error.js";
import { DataValidationError, formatIssues } from "./data-issue.js";
import { noopProgress } from "./progress.js";

describe("CiaError", () => {
  it("carries code and details", () => {
    const e = new CiaError("support_violation", "no support", { actions: ["a"] });
    expect(e.code).toBe("support_violation");
    expect(e.details).toEqual({ actions: ["a"] });
    expect(CiaError.isInstance(e)).toBe(true);
    expect(CiaError.isInstance(new Error("x"))).toBe(false);
    expect(CiaError.isInstance(null)).toBe(false);
  });
  it("recognises errors from a second copy of the module", async () => {
    // The query string makes vite load a separate module instance: a second class object, as
    // with two installed versions of @cia/core.
    const other = (await import("./cia-error.js?copy=2" as string)) as typeof import("./cia-error.js");
    expect(other.CiaError).not.toBe(CiaError);
    const e = new other.CiaError("x", "from the other copy");
    expect(e instanceof CiaError).toBe(false);
    expect(CiaError.isInstance(e)).toBe(true);
  });
});

describe("data issues", () => {
  it("format file, line, field and code for people", () => {
    const text = formatIssues([
      { code: "nan", path: [3, "value"], message: "must be a finite number", file: "t.csv", line: 4 },
    ]);
    expect(text).toBe("t.csv:4: value: must be a finite number [nan]");
    const many = Array.from({ length: 25 }, (_, i) => ({ code: "c", path: [i], message: "m" }));
    expect(formatIssues(many).split("\n")).toHaveLength(21);
  });
  it("DataValidationError keeps the issues and attaches the file", () => {
    const e = new DataValidationError([{ code: "c", path: ["p"], message: "bad", line: 2 }], {
      file: "x.csv",
    });
    expect(e.issues[0]!.file).toBe("x.csv");
    expect(e.message).toBe("x.csv:2: p: bad [c]");
    expect(CiaError.isInstance(e)).toBe(true);
  });
  it("noop progress accepts calls", () => {
    noopProgress.start("x", 3);
    noopProgress.advance();
    noopProgress.finish();
    expect(Object.isFrozen(noopProgress)).toBe(true);
  });
});

describe("CiaError codes", () => {
  it("narrows code to a package's union and stays assignable to CiaError", () => {
    type PkgCode = "invalid_option" | "insufficient_support";
    const e = new CiaError<PkgCode>("invalid_option", "alpha must be in (0, 1)", { alpha: 2 });
    const code: PkgCode = e.code;
    const base: CiaError = e;
    expect(code).toBe("invalid_option");
    expect(CiaError.isInstance(base)).toBe(true);
    const v = new DataValidationError([]);
    expect(v.code).toBe("data_validation");
  });
});
