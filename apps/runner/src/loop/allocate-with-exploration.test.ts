import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@cia/core";
import { readDecisions } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeFixture } from "../test-helpers/run-cli.js";

/** A scores file of n units x 2 offers; unit 0 is not eligible for credit_10. */
function scoresFixture(dir: string, n: number): { file: string; cost: Map<string, number> } {
  const rng = createRng("allocate-explore");
  const lines = ["unit_id,action,tau_value,tau_cost"];
  const cost = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    for (const [a, credit] of [
      ["credit_5", 5],
      ["credit_10", 10],
    ] as const) {
      if (i === 0 && a === "credit_10") continue;
      const c = credit * (0.2 + 0.4 * rng.next());
      cost.set(`u${i}:${a}`, c);
      lines.push(`u${i},${a},${(rng.next() * 3 - 0.5).toFixed(4)},${c.toFixed(6)}`);
    }
  }
  return { file: writeFixture(dir, "scores.csv", `${lines.join("\n")}\n`), cost };
}

describe("cia allocate --explore", () => {
  it("ships a budget-safe mixture and logs every decision with its propensity and distribution", async () => {
    const dir = tempDir();
    const n = 600;
    const { file, cost } = scoresFixture(dir, n);
    const out = join(dir, "assignment.csv");
    const decisionsOut = join(dir, "decisions.jsonl");
    const args = ["allocate", "--scores", file, "--budget", "300", "--explore", "0.1", "--floor", "0.02"];
    const r = await runCli([...args, "--decisions-out", decisionsOut, "--salt", "s1", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(summary.expected_cost).toBeLessThanOrEqual(300 + 1e-6);
    expect(summary.expected_cost).toBeGreaterThan(290);
    expect(summary.handed_budget).toBeLessThan(300);
    expect(summary.min_propensity).toBeGreaterThanOrEqual(0.02 - 1e-9);
    expect(summary.ope_supported).toBe(true);
    const records = await readDecisions(decisionsOut).toArray();
    expect(records).toHaveLength(n);
    let expected = 0;
    for (const d of records) {
      const probs = d.action_probabilities!;
      expect(d.propensity).toBeCloseTo(probs[d.action]!, 9);
      expect(Object.values(probs).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
      expect(d.policy_id).toBe("cia-allocate");
      for (const [a, p] of Object.entries(probs))
        if (a !== "control") expected += p * cost.get(`${d.unit_id}:${a}`)!;
    }
    // The expected cost recomputed from the logged distributions meets the budget.
    expect(expected).toBeLessThanOrEqual(300 + 0.01);
    // Unit 0 cannot get credit_10: it is neither drawn nor given probability.
    const u0 = records.find((d) => d.unit_id === "u0")!;
    expect(u0.action_probabilities!.credit_10).toBeUndefined();
    expect(u0.eligible_actions).toEqual(["control", "credit_5"]);
    // Deterministic: the same salt gives the same file; the assignment carries the propensity.
    const first = readFileSync(out, "utf8");
    expect(first.split("\n")[0]).toBe("unit_id,action,propensity,recommended");
    const again = await runCli([...args, "--salt", "s1", "--out", out]);
    expect(again.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(first);
  });

  it("allows --explore 0 and says the logs will not support OPE of other policies", async () => {
    const dir = tempDir();
    const { file } = scoresFixture(dir, 50);
    const r = await runCli([
      "allocate",
      "--scores",
      file,
      "--budget",
      "40",
      "--explore",
      "0",
      "--out",
      join(dir, "a.csv"),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/will not support off-policy evaluation/);
    const summary = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(summary.min_propensity).toBe(1);
    expect(summary.ope_supported).toBe(false);
  });
});
