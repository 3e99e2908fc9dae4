import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readDecisions } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

describe("cia loop (small: 3 periods)", () => {
  it("logs every decision with its propensity, censors the last period, re-learns and reports", async () => {
    const out = tempDir("cia-loop-");
    const r = await runCli([
      "loop",
      "--world",
      "drift",
      "--periods",
      "3",
      "--units",
      "1200",
      "--pilot-units",
      "2500",
      "--explore",
      "0.1",
      "--refit",
      "always",
      "--seed",
      "3",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const loop = JSON.parse(readFileSync(join(out, "loop.json"), "utf8"));
    expect(loop.periods).toHaveLength(3);
    for (const p of loop.periods) {
      for (const f of [
        "period",
        "budget",
        "trueValue",
        "trueCost",
        "oracleValue",
        "minPropensity",
        "retrained",
      ])
        expect(p).toHaveProperty(f);
      expect(p.decisionsWithPropensity).toBe(p.decisions);
      expect(p.decisions).toBe(1200);
      // Floor default: epsilon / K = 0.02 for every action.
      expect(p.minPropensity).toBeGreaterThanOrEqual(0.02 - 1e-9);
      expect(p.static).toHaveProperty("trueValue");
      expect(p.heuristic).toHaveProperty("oracleValue");
      expect(p.trueValue).toBeLessThanOrEqual(p.oracleValue + 1e-6);
      expect(p.ope.map((c: { candidate: string }) => c.candidate)).toEqual([
        "shipped",
        "loop (recommended)",
        "static",
        "heuristic",
      ]);
    }
    // Labels arrive when horizons close: at period 2 the pilot and period 0 are labelled, period 1 is censored.
    expect(loop.periods[2].labelledPeriods).toEqual([-1, 0]);
    expect(loop.periods[2].censoredPeriods).toEqual([1]);
    expect(loop.periods[0].retrained).toBe(false);
    expect(loop.periods[2].retrained).toBe(true);
    expect(loop.periods[2].modelVersion).not.toBe(loop.periods[0].modelVersion);
    // The pacer's budget stays within its band around the plan.
    for (const p of loop.periods) {
      expect(p.budget).toBeGreaterThanOrEqual(0.5 * p.plannedBudget - 1e-6);
      expect(p.budget).toBeLessThanOrEqual(1.5 * p.plannedBudget + 1e-6);
    }
    const decisions = await readDecisions(join(out, "periods", "decisions-1.jsonl")).toArray();
    expect(decisions).toHaveLength(1200);
    for (const d of decisions.slice(0, 50)) {
      expect(d.propensity).toBeCloseTo(d.action_probabilities![d.action]!, 12);
      expect(d.policy_version).toBe(loop.periods[1].modelVersion);
      expect(d.design).toBe("policy");
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("True incremental value");
  }, 60_000);
});
