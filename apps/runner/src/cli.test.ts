import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeFixture } from "./test-helpers/run-cli.js";

const commands = [
  "simulate",
  "import",
  "split",
  "labels",
  "train",
  "score",
  "diagnose",
  "allocate",
  "evaluate",
  "pace",
  "run",
];

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

  it("prints its version, and marks required flags in every command's help", async () => {
    const v = await runCli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const train = await runCli(["train", "--help"]);
    expect(train.stdout).toMatch(/--data <file>\s+experiment table \(CSV or JSONL\) \(required\)/);
    expect(train.stdout).toMatch(/--out <file>\s+model JSON \(required\)/);
    expect(train.stdout).not.toMatch(/--seed <s>.*\(required\)/);
    const imp = await runCli(["import", "--help"]);
    expect(imp.stdout).toMatch(/--dataset <name>\s+dataset \(required\)/);
  });

  it("split: a seeded, stratified holdout whose rows add up, cells copied as written", async () => {
    const dir = tempDir();
    const rows = Array.from(
      { length: 40 },
      (_, i) => `u${i},${i % 4 === 0 ? "control" : "offer"},0.5,${i},0,00${i}`,
    );
    const data = writeFixture(dir, "t.csv", `unit_id,action,propensity,value,cost,zip\n${rows.join("\n")}\n`);
    const args = [
      "split",
      "--data",
      data,
      "--test-share",
      "0.25",
      "--seed",
      "4",
      "--train",
      `${dir}/tr.csv`,
      "--test",
      `${dir}/te.csv`,
    ];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ rows: 40, train_rows: 29, test_rows: 11, groups: { control: 10, offer: 30 } });
    const { readFileSync } = await import("node:fs");
    const test = readFileSync(`${dir}/te.csv`, "utf8").trimEnd().split("\n");
    const train = readFileSync(`${dir}/tr.csv`, "utf8").trimEnd().split("\n");
    expect(test[0]).toBe("unit_id,action,propensity,value,cost,zip");
    expect(test.filter((l) => l.includes(",control,"))).toHaveLength(3); // round(0.25 x 10); offers round(7.5) = 8
    expect(new Set([...test.slice(1), ...train.slice(1)])).toEqual(new Set(rows));
    await runCli([...args.slice(0, -4), "--train", `${dir}/tr2.csv`, "--test", `${dir}/te2.csv`]);
    expect(readFileSync(`${dir}/te2.csv`, "utf8")).toBe(readFileSync(`${dir}/te.csv`, "utf8"));
    const same = await runCli(["split", "--data", data, "--train", data, "--test", `${dir}/x.csv`]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/--train .* is the same file as --data/);
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
