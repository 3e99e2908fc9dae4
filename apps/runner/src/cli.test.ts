import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeFixture } from "./test-helpers/run-cli.js";

const commands = ["simulate", "labels", "train", "score", "diagnose", "allocate", "evaluate", "pace", "run"];

describe("cia CLI", () => {
  it("prints help for every command and exits 0", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    for (const c of commands) {
      expect(top.stdout).toContain(c);
      const r = await runCli([c, "--help"]);
      expect(r.code, c).toBe(0);
      expect(r.stdout).toContain(`Usage: cia ${c}`);
    }
  });

  it("exits 2 with one clear line on usage errors", async () => {
    const r = await runCli(["allocate", "--scores", "x.csv", "--budget", "abc", "--out", "a.csv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--budget must be a number, got 'abc'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(["frobnicate"])).code).toBe(2);
  });

  it("exits 2 naming the file for a missing input file", async () => {
    const dir = tempDir();
    const r = await runCli([
      "allocate",
      "--scores",
      `${dir}/missing.csv`,
      "--budget",
      "10",
      "--out",
      `${dir}/a.csv`,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.csv/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    writeFixture(dir, "unused.txt", "");
  });
});
