import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeFixture } from "../test-helpers/run-cli.js";

const hash = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("cia run --config never writes over its inputs", () => {
  it("refuses an output folder whose table.csv is the data table (exit 2, both named, nothing written)", async () => {
    const dir = tempDir("cia-run-paths-");
    const table = writeFixture(
      dir,
      "table.csv",
      "unit_id,action,propensity,value,cost,x\nu1,control,0.5,1,0,1\n",
    );
    const config = writeFixture(
      dir,
      "cia.config.json",
      JSON.stringify({ data: { table: "table.csv" }, budget: 10, out: "." }),
    );
    const before = hash(table);
    const r = await runCli(["run", "--config", config, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/out\/table\.csv .* is the same file as data\.table/);
    expect(r.stderr).toMatch(/nothing was written/);
    expect(hash(table)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["cia.config.json", "table.csv"]);
  });

  it("refuses --out onto a file (the folder would be under it)", async () => {
    const dir = tempDir("cia-run-paths-");
    writeFixture(dir, "table.csv", "unit_id,action,propensity,value,cost,x\nu1,control,0.5,1,0,1\n");
    const config = writeFixture(
      dir,
      "cia.config.json",
      JSON.stringify({ data: { table: "table.csv" }, budget: 10, out: "out" }),
    );
    const r = await runCli(["run", "--config", config, "--out", join(dir, "table.csv"), "--quiet"]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
