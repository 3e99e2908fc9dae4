import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

/**
 * A world where the model under-predicts cost by half: every offer truly costs 2 (logged on the
 * holdout), the scores say 1. Allocating 100 on predicted cost truly spends about 200.
 */
function world(dir: string, n: number) {
  const holdout = join(dir, "holdout.csv");
  const rows = Array.from({ length: n }, (_, i) => {
    const treated = i % 2 === 1;
    return `h${i},${treated ? "offer" : "control"},0.5,${treated ? 3 : 1},${treated ? 2 : 0}`;
  });
  writeFileSync(holdout, `unit_id,action,propensity,value,cost\n${rows.join("\n")}\n`);
  const scoresOf = (prefix: string, m: number) =>
    `unit_id,action,tau_value,tau_cost\n${Array.from({ length: m }, (_, i) => `${prefix}${i},offer,${1 + (i % 7) / 10},1`).join("\n")}\n`;
  const holdoutScores = join(dir, "holdout-scores.csv");
  writeFileSync(holdoutScores, scoresOf("h", n));
  const scores = join(dir, "scores.csv");
  writeFileSync(scores, scoresOf("u", 1000));
  return { holdout, holdoutScores, scores };
}

const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop()!);

describe("allocate: true spend on a holdout (DR) and --calibrate-spend", () => {
  it("warns when the DR-estimated true spend exceeds the budget, and calibrates it with --calibrate-spend", async () => {
    const dir = tempDir();
    const w = world(dir, 2000);
    const base = [
      "allocate",
      "--scores",
      w.scores,
      "--budget",
      "100",
      "--holdout",
      w.holdout,
      "--holdout-scores",
      w.holdoutScores,
    ];
    const plain = await runCli([...base, "--out", join(dir, "a.csv")]);
    expect(plain.code, plain.stderr).toBe(0);
    const s = summaryOf(plain.stdout);
    expect(s.spend).toBeCloseTo(100, 6);
    expect(s.spend_check.estimated_true_spend.estimate).toBeGreaterThan(180);
    expect(s.spend_check.estimated_true_spend.lower).toBeGreaterThan(100);
    expect(plain.stderr).toMatch(
      /warning: DR estimates the true spend at .* against the budget of 100, above it \(interval criterion\): pass --calibrate-spend/,
    );

    const cal = await runCli([...base, "--calibrate-spend", "--out", join(dir, "b.csv")]);
    expect(cal.code, cal.stderr).toBe(0);
    const c = summaryOf(cal.stdout);
    expect(c.budget_requested).toBe(100);
    expect(c.spend_check).toMatchObject({ calibrated: true });
    // The optimizer is handed about half the budget, so that the estimated true spend meets 100.
    expect(c.budget).toBeGreaterThan(40);
    expect(c.budget).toBeLessThan(60);
    expect(Math.abs(c.spend_check.spend_by_criterion / 100 - 1)).toBeLessThan(0.02);
    expect(cal.stderr).not.toMatch(/DR estimates/);
  });

  it("refuses half a holdout, and --calibrate-spend without one", async () => {
    const dir = tempDir();
    const w = world(dir, 20);
    const a = await runCli([
      "allocate",
      "--scores",
      w.scores,
      "--budget",
      "10",
      "--holdout",
      w.holdout,
      "--out",
      join(dir, "a.csv"),
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--holdout and --holdout-scores go together/);
    const b = await runCli([
      "allocate",
      "--scores",
      w.scores,
      "--budget",
      "10",
      "--calibrate-spend",
      "--out",
      join(dir, "a.csv"),
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--calibrate-spend needs --holdout TABLE and --holdout-scores FILE/);
  });
});
