import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

/** Scores for `n` units and one offer with tau_value = 1 + i % 5 and tau_cost from `cost(i)`. */
function scores(dir: string, name: string, n: number, cost: (i: number) => number): string {
  const rows = Array.from({ length: n }, (_, i) => `u${i},offer,${1 + (i % 5)},${cost(i)}`);
  const file = join(dir, name);
  writeFileSync(file, `unit_id,action,tau_value,tau_cost\n${rows.join("\n")}\n`);
  return file;
}

const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop()!);

describe("allocate says when the budget cannot bind, and when costs are negative", () => {
  it("zero costs: every unit is treated under --budget 100, and the summary and stderr say why", async () => {
    const dir = tempDir();
    const r = await runCli([
      "allocate",
      "--scores",
      scores(dir, "zero.csv", 200, () => 0),
      "--budget",
      "100",
      "--out",
      join(dir, "a.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s.treated).toBe(200);
    expect(s.budget_binds).toBe(false);
    expect(r.stderr).toMatch(
      /warning: the budget of 100 does not bind: 200 of 200 units treated; tau_cost is 0 for every pair \(scores of a model trained with --no-cost\?\)/,
    );
    expect(s.warnings).toHaveLength(1);
  });

  it("near-zero costs say so; a binding budget says nothing", async () => {
    const dir = tempDir();
    const near = await runCli([
      "allocate",
      "--scores",
      scores(dir, "near.csv", 200, () => 0.001),
      "--budget",
      "100",
      "--out",
      join(dir, "a.csv"),
    ]);
    expect(near.stderr).toMatch(/does not bind.*spends only 0\.2 of it \(0\.2%\): costs are near zero/);
    const binding = await runCli([
      "allocate",
      "--scores",
      scores(dir, "b.csv", 200, () => 2),
      "--budget",
      "100",
      "--out",
      join(dir, "a.csv"),
    ]);
    expect(binding.code, binding.stderr).toBe(0);
    expect(binding.stderr).toBe("");
    expect(summaryOf(binding.stdout)).toMatchObject({
      budget_binds: true,
      warnings: [],
      negative_cost_pairs: 0,
    });
  });

  it("negative cost estimates are counted and warned about (they let --budget 0 treat units)", async () => {
    const dir = tempDir();
    const r = await runCli([
      "allocate",
      "--scores",
      scores(dir, "neg.csv", 100, (i) => (i % 10 === 0 ? -1 : 3)),
      "--budget",
      "0",
      "--out",
      join(dir, "a.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(r.stdout);
    expect(s.negative_cost_pairs).toBe(10);
    expect(s.treated).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/10 of 100 scored pairs have tau_cost < 0/);
  });
});
