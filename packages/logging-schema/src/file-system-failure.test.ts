import { existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CiaError, type DataValidationError } from "@cia/core";
import { errnoReason, readFailure, writeFailure } from "./file-system-failure.js";
import { readExperimentTable } from "./read-experiment-table.js";
import { readTable } from "./read-table.js";
import { tempDir } from "./test-helpers/fixtures.js";
import { writeFileAtomic } from "./write-file-atomic.js";

const sysError = (code: string) => Object.assign(new Error(`${code}: raw`), { code, path: "/x.tmp" });

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}

describe("file system failures", () => {
  it("say what went wrong in words, with the code, naming the user's file", () => {
    expect(errnoReason(sysError("EROFS"))).toBe("read-only file system (EROFS)");
    const w = writeFailure(sysError("ENOSPC"), "out/scores.csv") as CiaError;
    expect(CiaError.isInstance(w) && w.code).toBe("write_failed");
    expect(w.message).toBe("out/scores.csv: cannot write: no space left on the device (ENOSPC)");
    const r = readFailure(sysError("EACCES"), "in.csv") as DataValidationError;
    expect(r.issues[0]).toMatchObject({ code: "read_failed", file: "in.csv" });
    expect(r.message).toMatch(/in\.csv: cannot read: permission denied \(EACCES\)/);
    // Not a system error: unchanged, so a row source's own error reaches the caller as it is.
    const plain = new Error("source failed");
    expect(writeFailure(plain, "x")).toBe(plain);
  });

  it("an output under a path that is a file, or onto a directory, is write_failed and leaves nothing", async () => {
    const tmp = tempDir();
    const blocker = tmp.path("file");
    writeFileSync(blocker, "keep");
    expect(await messageOf(writeFileAtomic(`${blocker}/out.csv`, "x"))).toMatch(
      /file\/out\.csv: cannot create the directory .*file: .*\((EEXIST|ENOTDIR)\)/,
    );
    mkdirSync(tmp.path("dir"));
    expect(await messageOf(writeFileAtomic(tmp.path("dir"), "x"))).toMatch(
      /dir: cannot write: is a directory \(EISDIR\)/,
    );
    expect(readdirSync(tmp.dir).sort()).toEqual(["dir", "file"]);
    tmp.cleanup();
  });

  it("writes a device in place (never renames over it) and reports a full one as ENOSPC", async () => {
    if (!existsSync("/dev/full") || !lstatSync("/dev/full").isCharacterDevice()) {
      console.log("skipped: no /dev/full character device on this system");
      return;
    }
    await writeFileAtomic("/dev/null", "discarded");
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(await messageOf(writeFileAtomic("/dev/full", "x".repeat(100_000)))).toBe(
      "/dev/full: cannot write: no space left on the device (ENOSPC)",
    );
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("a bare quote inside an unquoted CSV cell is an error with its line and field", async () => {
    const tmp = tempDir();
    const file = tmp.path("q.csv");
    writeFileSync(file, 'unit_id,action,value\nu1,control,1\nu2,"quoted ""ok""",2\nu3,5" screen,3\n');
    const table = await messageOf(readExperimentTable(file));
    expect(table).toMatch(/q\.csv:4: action: CSV syntax error.*double quote inside an unquoted cell/);
    const rows = await messageOf(readTable(file).toArray());
    expect(rows).toMatch(/q\.csv:4: action: CSV syntax error/);
    // Quotes that open a cell, doubled quotes and quoted line breaks stay valid.
    writeFileSync(file, 'unit_id,action,value\nu1,"a ""b""\nc",1\n"u2",x,2\n');
    expect((await readExperimentTable(file)).n).toBe(2);
    tmp.cleanup();
  });

  it("duplicate unit ids and negative costs are issues with both lines", async () => {
    const tmp = tempDir();
    const file = tmp.path("d.csv");
    writeFileSync(file, "unit_id,action,value,cost\nu1,control,1,0\nu2,offer,1,-2\nu1,offer,2,1\n");
    const m = await messageOf(readExperimentTable(file));
    expect(m).toMatch(/d\.csv:3: cost: cost must be >= 0, got '-2'.*\[negative_cost\]/);
    expect(m).toMatch(/d\.csv:4: unit_id: unit 'u1' already has a row \(line 2\).*\[duplicate_unit\]/);
    tmp.cleanup();
  });
});
