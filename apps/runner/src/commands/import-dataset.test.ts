import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

const ARMS = ["No E-Mail", "Mens E-Mail", "Womens E-Mail"];

/** A small file in the MineThatData layout (optionally with the shared copy's split column). */
function hillstromLike(n: number, withSplit: boolean): string {
  const header =
    "recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend";
  const rows = Array.from({ length: n }, (_, i) => {
    const spend = i % 7 === 0 ? 20 + i : 0;
    const cells = [
      1 + (i % 12),
      '"2) $100 - $200"',
      100 + i,
      i % 2,
      1 - (i % 2),
      "Urban",
      i % 2,
      "Web",
      ARMS[i % 3],
      spend > 0 ? 1 : 0,
      spend > 0 ? 1 : 0,
      spend,
    ];
    return [...cells, ...(withSplit ? [i % 4 === 0 ? "test" : "train"] : [])].join(",");
  });
  return `${header}${withSplit ? ",split" : ""}\n${rows.join("\n")}\n`;
}

function dataDir(content: string, gz: boolean): string {
  const dir = tempDir();
  mkdirSync(join(dir, "hillstrom"));
  const file = join(dir, "hillstrom", gz ? "hillstrom.csv.gz" : "hillstrom.csv");
  writeFileSync(file, gz ? gzipSync(content) : content);
  return dir;
}

describe("cia import (Hillstrom layout, generated)", () => {
  it("reads a plain hillstrom.csv too, and writes an ASSUMED cost column only when asked", async () => {
    const dir = dataDir(hillstromLike(30, false), false);
    const out = join(dir, "t.csv");
    const plain = await runCli(["import", "--dataset", "hillstrom", "--data-dir", dir, "--out", out]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(readFileSync(out, "utf8").split("\n")[0]).toBe(
      "unit_id,action,propensity,value,recency,history,mens,womens,zip_code,newbie,channel",
    );
    expect(JSON.parse(plain.stdout).cost_assumption).toMatch(/^none: no cost column \(train with --no-cost/);
    const costed = await runCli([
      "import",
      "--dataset",
      "hillstrom",
      "--data-dir",
      dir,
      "--cost-per-treated",
      "0.25",
      "--cost-share-of-value",
      "0.1",
      "--out",
      out,
    ]);
    expect(costed.code, costed.stderr).toBe(0);
    expect(JSON.parse(costed.stdout).cost_assumption).toBe(
      "ASSUMED, not in the data: 0.25 per e-mailed customer + 0.1 x their spend; 0 without an e-mail",
    );
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^unit_id,action,propensity,value,cost,recency/);
    // Row 0: no e-mail -> 0; row 1 (mens, spend 0) -> 0.25; row 7 (mens, spend 27) -> 0.25 + 2.7.
    const cost = (k: number) => Number(lines[k + 1]!.split(",")[4]);
    expect([cost(0), cost(1), cost(7)]).toEqual([0, 0.25, 0.25 + 0.1 * 27]);
  });

  it("refuses --out onto the dataset itself", async () => {
    const dir = dataDir(hillstromLike(12, false), false);
    const source = join(dir, "hillstrom", "hillstrom.csv");
    const before = readFileSync(source, "utf8");
    const r = await runCli(["import", "--dataset", "hillstrom", "--data-dir", dir, "--out", source]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${source} is the same file as --dataset hillstrom ${source}`);
    expect(readFileSync(source, "utf8")).toBe(before);
  });

  it("--split train on a file without a split column refuses and writes nothing", async () => {
    const dir = dataDir(hillstromLike(12, false), true);
    const out = join(dir, "t.csv");
    const r = await runCli([
      "import",
      "--dataset",
      "hillstrom",
      "--split",
      "train",
      "--data-dir",
      dir,
      "--out",
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /hillstrom\.csv\.gz has no split column, so --split train would select nothing: import with --split all, then make a holdout with cia split/,
    );
    expect(() => readFileSync(out)).toThrow();
  });

  it("--split selects the shared copy's rows; train's missing-cost error says what to do", async () => {
    const dir = dataDir(hillstromLike(40, true), true);
    const out = join(dir, "test.csv");
    const r = await runCli([
      "import",
      "--dataset",
      "hillstrom",
      "--split",
      "test",
      "--data-dir",
      dir,
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows).toBe(10);
    const t = await runCli(["train", "--data", out, "--base", "ridge", "--out", join(dir, "m.json")]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain(
      "missing column 'cost': train with --no-cost for a value-only model, or add a cost column (Hillstrom: cia import --cost-per-treated C",
    );
  });
});
