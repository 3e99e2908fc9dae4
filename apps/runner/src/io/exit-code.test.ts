import { CiaError, DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { describeFailure, EXIT_BAD_INPUT, EXIT_INTERNAL } from "./exit-code.js";

describe("describeFailure", () => {
  it("maps data and option errors to 2 and our own bugs to 1, without stacks", () => {
    expect(
      describeFailure(
        new DataValidationError([{ code: "x", path: ["v"], message: "bad", line: 3 }], { file: "t.csv" }),
      ),
    ).toEqual({
      code: EXIT_BAD_INPUT,
      message: "error: t.csv:3: v: bad [x]",
    });
    expect(describeFailure(new CiaError("insufficient_support", "action 2 has 1 row")).code).toBe(
      EXIT_BAD_INPUT,
    );
    expect(describeFailure(new CiaError("shape_mismatch", "n x K")).code).toBe(EXIT_INTERNAL);
    const plain = describeFailure(new TypeError("boom"));
    expect(plain.code).toBe(EXIT_INTERNAL);
    expect(plain.message).toBe("internal error: boom");
    expect(
      describeFailure(Object.assign(new Error("x"), { code: "ENOENT", path: "a.csv", syscall: "open" }))
        .message,
    ).toBe("error: cannot read a.csv: no such file (ENOENT)");
    for (const [code, reason] of [
      ["EROFS", "read-only file system"],
      ["ENOSPC", "no space left on the device"],
      ["EACCES", "permission denied"],
      ["ENOTDIR", "a part of the path is a file, not a directory"],
      ["EEXIST", "a file is in the way"],
    ]) {
      const r = describeFailure(
        Object.assign(new Error("raw"), { code, path: "out/x.csv", syscall: "mkdir" }),
      );
      expect(r).toEqual({
        code: EXIT_BAD_INPUT,
        message: `error: cannot write out/x.csv: ${reason} (${code})`,
      });
    }
  });
});
